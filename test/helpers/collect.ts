// Test context for collectors: the real HTTP client with a pinned clock, and brands with terms.
import { createHttpClient } from '../../collectors/http'
import type { BrandTerms, CollectContext } from '../../collectors/types'

export const NOW = new Date('2026-03-10T12:00:00Z')

export const BRANDS: BrandTerms[] = [
  { name: 'Acme', query: '"Acme" OR "Acme Cloud"', terms: ['Acme', 'Acme Cloud'] },
]

export function makeCtx(over: Partial<CollectContext> = {}): CollectContext {
  const now = () => NOW
  return {
    http: createHttpClient({ now, timeoutMs: 5000 }),
    now,
    brands: BRANDS,
    log: () => {},
    ...over,
  }
}

/** Query parameters of a recorded request URL. */
export function query(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url, 'http://x').searchParams)
}

export function json(body: unknown, status = 200, headers: Record<string, string> = {}) {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  }
}
