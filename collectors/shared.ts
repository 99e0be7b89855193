// Helpers shared by the search collectors: building a vendor query string from the brands' terms,
// joining a configurable base URL, and small date/number coercions. Matching stays in the pipeline
// (it re-matches every item against the brand query), so these only need to be reasonable.
import { z } from 'zod'
import { CollectorError } from './http'
import type { BrandTerms } from './types'
import { say } from '../server/field-errors'

/** Distinct, trimmed terms of every brand, in order, bounded so a query never grows unbounded. */
export function brandTerms(brands: BrandTerms[], max = 20): string[] {
  const seen = new Set<string>()
  const out: string[] = []
  for (const b of brands) {
    const terms = b.terms.length ? b.terms : [b.name]
    for (const raw of terms) {
      const t = raw.trim()
      const key = t.toLowerCase()
      if (!t || seen.has(key)) continue
      seen.add(key)
      out.push(t)
      if (out.length >= max) return out
    }
  }
  return out
}

/** Quotes a phrase (a term with spaces or punctuation); bare words stay bare. */
export function quote(term: string): string {
  const clean = term.replace(/"/g, '')
  return /^[\p{L}\p{N}_-]+$/u.test(clean) ? clean : `"${clean}"`
}

/** `acme OR "acme corp"`, or throws `config` when no brand gives a term to search for. */
export function orQuery(source: string, brands: BrandTerms[], max = 20, sep = ' OR '): string {
  const terms = brandTerms(brands, max)
  if (!terms.length)
    throw new CollectorError('config', `${source}: no brand terms to search for on this source`)
  return terms.map(quote).join(sep)
}

/** Joins a base URL (instance, proxy, test server) and a path, tolerating trailing slashes. */
export function joinUrl(
  base: string,
  path: string,
  params?: Record<string, string | number | undefined>,
): string {
  const url = new URL(base.replace(/\/+$/, '') + path)
  for (const [k, v] of Object.entries(params ?? {}))
    if (v !== undefined && v !== '') url.searchParams.set(k, String(v))
  return url.toString()
}

/** ISO-8601 UTC from a date string or unix seconds; undefined when unparseable. */
export function toIso(value: string | number | undefined | null): string | undefined {
  if (value === undefined || value === null || value === '') return undefined
  const d = typeof value === 'number' ? new Date(value * 1000) : new Date(value)
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString()
}

/**
 * The text of a field whatever shape the parser gave it. xml2js (under rss-parser) turns an
 * element with attributes into `{ _: text, $: attrs }`, one with child elements into
 * `{ child: [...] }`, and an empty one into `''` or `{ $: attrs }`; JSON APIs sometimes send a
 * number or an object where a string is documented. Strings come back as they are, numbers as
 * digits, arrays as their first non-empty value, objects as their own text then their children's
 * (attributes skipped), anything else as ''. Never throws.
 */
export function textOf(value: unknown, depth = 0): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value)
  if (depth > 8 || value === null || typeof value !== 'object') return ''
  if (Array.isArray(value)) {
    for (const v of value) {
      const t = textOf(v, depth + 1)
      if (t.trim()) return t
    }
    return ''
  }
  // Own text first, then the children's: `<div>Hello <b>Acme</b></div>` reads "Hello Acme".
  const obj = value as Record<string, unknown>
  const own = ['_', '#text'].filter((k) => k in obj)
  const children = Object.keys(obj).filter((k) => k !== '$' && k !== '_' && k !== '#text')
  return [...own, ...children]
    .map((k) => textOf(obj[k], depth + 1).trim())
    .filter(Boolean)
    .join(' ')
}

/** `textOf` trimmed, or undefined when empty: for optional fields such as ids and authors. */
export function optionalText(value: unknown): string | undefined {
  return textOf(value).trim() || undefined
}

/** The poll's warning for items left out because they could not be read, or undefined. */
export function skippedWarning(source: string, skipped: number): string | undefined {
  if (!skipped) return undefined
  return `${source}: ${skipped} unreadable item${skipped === 1 ? '' : 's'} left out`
}

/** Drops undefined/NaN values so `metrics` only carries what the source reported. */
export function metrics(
  m: Record<string, number | undefined | null>,
): Record<string, number> | undefined {
  const out: Record<string, number> = {}
  for (const [k, v] of Object.entries(m))
    if (typeof v === 'number' && Number.isFinite(v)) out[k] = v
  return Object.keys(out).length ? out : undefined
}

/** Several warnings of one poll in one line; undefined when there is none. */
export function joinWarnings(...warnings: (string | undefined)[]): string | undefined {
  const all = warnings.filter((w): w is string => !!w)
  return all.length ? all.join('; ') : undefined
}

/** Throws `malformed` with a prefixed message unless `ok`. */
export function expectShape(ok: unknown, source: string, what: string): asserts ok {
  if (!ok) throw new CollectorError('malformed', `${source}: unexpected response shape (${what})`)
}

/** Re-throws a CollectorError with the collector's prefix, keeping code/status/retry. */
export function prefixed<T>(source: string, p: Promise<T>): Promise<T> {
  return p.catch((err: unknown) => {
    if (err instanceof CollectorError && !err.message.startsWith(`${source}:`))
      throw new CollectorError(err.code, `${source}: ${err.message}`, err.status, err.retryAfterMs)
    throw err
  })
}

/** Decodes the handful of HTML entities found in feed titles. */
export function decodeEntities(s: string): string {
  return s
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
}

/** Lower-case, accent-free, single-spaced: for fold keys and cheap local prefilters. */
export function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
}

/** Cheap local prefilter for unfiltered streams: any brand term as a case/accent-free substring. */
export function mentionsAnyTerm(text: string, brands: BrandTerms[]): boolean {
  const hay = fold(text)
  return brandTerms(brands, 1000).some((t) => {
    const needle = fold(t)
    return needle.length > 0 && hay.includes(needle)
  })
}

export const baseUrlField = (placeholder: string) =>
  ({
    name: 'baseUrl',
    type: 'url',
    label: { en: 'Base URL (optional)', fr: 'URL de base (facultatif)' },
    placeholder,
    help: {
      en: 'Leave empty for the public service; set it for a self-hosted instance or a proxy.',
      fr: 'Laisser vide pour le service public ; à renseigner pour une instance auto-hébergée ou un proxy.',
    },
  }) as const

/** An http(s) URL; zod's plain `url()` would also accept ftp: or javascript:. */
export const httpUrl = (
  message = say(
    'an address starting with http:// or https://',
    'une adresse commençant par http:// ou https://',
  ),
) => z.url({ protocol: /^https?$/, error: message })

/**
 * What a new source's form starts with: the defaults its schema declares (Google News edition
 * fr-FR, Bluesky search mode…), so that an optional menu shows the choice that applies instead of
 * an empty "—". Read from the schema itself, so the form and the validation cannot disagree.
 */
export function configDefaults(schema: z.ZodType): Record<string, string> {
  const shape = (schema as { shape?: Record<string, z.ZodType> }).shape ?? {}
  const out: Record<string, string> = {}
  for (const [name, field] of Object.entries(shape)) {
    const r = field.safeParse(undefined)
    if (r.success && r.data != null && typeof r.data !== 'object') out[name] = String(r.data)
  }
  return out
}
