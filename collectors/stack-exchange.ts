// Stack Exchange questions and answers through /2.3/search/excerpts
// (https://api.stackexchange.com/docs/excerpt-search). Every response carries `quota_remaining`
// and may carry `backoff` (seconds): the API asks that the same method is not called again before
// it has elapsed, so we stop and hand it back as `retryAfterMs`. Responses are gzip-compressed
// upstream; fetch inflates them. Search has no OR, so each brand term is its own request.
import { z } from 'zod'
import { CollectorError } from './http'
import {
  baseUrlField,
  brandTerms,
  decodeEntities,
  httpUrl,
  joinUrl,
  joinWarnings,
  metrics,
  prefixed,
  quote,
  skippedWarning,
  textOf,
} from './shared'
import { defineCollector, type CollectedItem } from './types'

const ID = 'stack-exchange'
const MAX_TERMS = 5
const MAX_PAGES = 2
const PAGE_SIZE = 50
const FIRST_LOOKBACK_S = 7 * 24 * 3600

const SITES = [
  'stackoverflow',
  'superuser',
  'serverfault',
  'askubuntu',
  'unix',
  'softwareengineering',
  'security',
  'webapps',
  'apple',
  'android',
  'dba',
  'devops',
] as const

const schema = z
  .object({
    site: z
      .string()
      .regex(/^[a-z0-9.-]+$/, 'a site name like stackoverflow or unix')
      .default('stackoverflow'),
    customSite: z
      .string()
      .regex(/^[a-z0-9.-]+$/, 'a site name like unix or fr.stackoverflow')
      .optional(),
    key: z.string().min(1).optional(),
    baseUrl: httpUrl().optional(),
  })
  .strict()

// As documented; `readExcerpt` still checks each field, since a wrong type must cost one item,
// not the poll (nor poison the watermark with NaN).
interface Excerpt {
  item_type: 'question' | 'answer'
  question_id: number
  answer_id?: number
  title: unknown
  body?: unknown
  excerpt?: unknown
  score?: number
  answer_count?: number
  creation_date: number
  tags?: string[]
}

/** `q123` or `a456` and the creation time (unix seconds), or undefined when unusable. */
function readExcerpt(raw: unknown): { id: string; created: number; raw: Excerpt } | undefined {
  if (!raw || typeof raw !== 'object') return undefined
  const it = raw as Excerpt
  const answer = it.item_type === 'answer'
  const num = answer ? it.answer_id : it.question_id
  const created = it.creation_date
  if (!Number.isSafeInteger(num) || !Number.isFinite(created)) return undefined
  if (Number.isNaN(new Date(created * 1000).getTime())) return undefined
  return { id: `${answer ? 'a' : 'q'}${num}`, created, raw: it }
}

interface Wrapper {
  items?: Excerpt[]
  has_more?: boolean
  quota_max?: number
  quota_remaining?: number
  backoff?: number
  error_id?: number
  error_name?: string
  error_message?: string
}

const DOT_COM = new Set([
  'stackoverflow',
  'superuser',
  'serverfault',
  'askubuntu',
  'stackapps',
  'mathoverflow.net',
])

/** The public host of an API site parameter: stackoverflow → stackoverflow.com, unix → unix.stackexchange.com. */
export function siteHost(site: string): string {
  if (site.includes('.'))
    return site.endsWith('.net') || site.endsWith('.com') ? site : `${site}.com`
  return DOT_COM.has(site) ? `${site}.com` : `${site}.stackexchange.com`
}

/** Quotas reset at midnight UTC. */
const untilUtcMidnight = (now: Date) =>
  Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1) - now.getTime()

function apiError(data: Wrapper, status: number, now: Date): CollectorError {
  const msg = `${ID}: ${data.error_name ?? 'error'}: ${data.error_message ?? `HTTP ${status}`}`
  if (data.error_name === 'throttle_violation') {
    // "too many requests from this IP, more requests available in 79 seconds"
    const secs = Number(/(\d+) seconds?/.exec(data.error_message ?? '')?.[1])
    return secs
      ? new CollectorError('rate_limited', msg, status, secs * 1000)
      : new CollectorError('quota', msg, status, untilUtcMidnight(now))
  }
  if (
    data.error_name === 'access_denied' ||
    data.error_name === 'access_token_required' ||
    data.error_name === 'invalid_access_token' ||
    data.error_name === 'key_required'
  )
    return new CollectorError('auth', msg, status)
  if (data.error_name === 'bad_parameter' || data.error_name === 'no_method')
    return new CollectorError('config', msg, status)
  if (status >= 500) return new CollectorError('server', msg, status)
  return new CollectorError('http', msg, status)
}

export default defineCollector({
  id: ID,
  label: 'Stack Exchange',
  description: {
    en: 'Questions and answers on Stack Overflow or another Stack Exchange site that mention your brands.',
    fr: 'Questions et réponses sur Stack Overflow ou un autre site Stack Exchange citant vos marques.',
  },
  schema,
  fields: [
    {
      name: 'site',
      type: 'select',
      label: { en: 'Site', fr: 'Site' },
      options: SITES.map((s) => ({ value: s, label: { en: siteHost(s), fr: siteHost(s) } })),
    },
    {
      name: 'customSite',
      type: 'text',
      label: { en: 'Other site (optional)', fr: 'Autre site (facultatif)' },
      placeholder: 'fr.stackoverflow',
      help: {
        en: 'The API name of any other site (see api.stackexchange.com/docs/sites); it replaces the choice above.',
        fr: 'Le nom d’API d’un autre site (voir api.stackexchange.com/docs/sites) ; il remplace le choix ci-dessus.',
      },
    },
    {
      name: 'key',
      type: 'secret',
      label: { en: 'App key (optional)', fr: 'Clé d’application (facultative)' },
      help: {
        en: 'Without a key the API allows 300 requests a day per IP; with a key registered on stackapps.com, 10,000. One request per brand term and page.',
        fr: 'Sans clé : 300 requêtes par jour et par IP ; avec une clé enregistrée sur stackapps.com : 10 000. Une requête par terme de marque et par page.',
      },
    },
    baseUrlField('https://api.stackexchange.com'),
  ],
  defaultInterval: 30 * 60,
  usesBrandQuery: true,
  async collect(ctx, config, state) {
    const base = config.baseUrl ?? 'https://api.stackexchange.com'
    const site = config.customSite || config.site
    const host = siteHost(site)
    const nowS = Math.floor(ctx.now().getTime() / 1000)
    // One watermark per term: a poll stopped by `backoff` resumes the remaining terms later.
    const since: Record<string, number> = { ...((state.since as Record<string, number>) ?? {}) }
    const items: CollectedItem[] = []
    const seen = new Set<string>()
    let quota: { max?: number; remaining?: number } = {}
    let retryAfterMs: number | undefined
    let skipped = 0

    outer: for (const term of brandTerms(ctx.brands, MAX_TERMS)) {
      const from = since[term] ?? nowS - FIRST_LOOKBACK_S
      let newest = from
      for (let page = 1; page <= MAX_PAGES; page++) {
        const { data, response } = await prefixed(
          ID,
          ctx.http.json<Wrapper>({
            url: joinUrl(base, '/2.3/search/excerpts', {
              q: quote(term),
              site,
              sort: 'creation',
              order: 'desc',
              fromdate: from + 1,
              pagesize: PAGE_SIZE,
              page,
              key: config.key,
            }),
            acceptStatus: [400, 401, 402, 403, 404, 405, 406, 500, 502, 503],
          }),
        )
        if (!data || typeof data !== 'object')
          throw new CollectorError('malformed', `${ID}: unexpected response shape`)
        if (data.error_id !== undefined || response.status >= 400)
          throw apiError(data, response.status, ctx.now())
        if (!Array.isArray(data.items))
          throw new CollectorError('malformed', `${ID}: unexpected response shape (no items array)`)
        quota = { max: data.quota_max, remaining: data.quota_remaining }
        for (const raw of data.items) {
          const it = readExcerpt(raw)
          if (!it) {
            skipped++
            continue
          }
          newest = Math.max(newest, it.created)
          if (seen.has(it.id)) continue
          seen.add(it.id)
          items.push({
            externalId: `${site}:${it.id}`,
            url: `https://${host}/${it.id[0]}/${it.id.slice(1)}`,
            title: decodeEntities(textOf(it.raw.title)),
            text: textOf(it.raw.body) || textOf(it.raw.excerpt),
            publishedAt: new Date(it.created * 1000).toISOString(),
            metrics: metrics({ score: it.raw.score, answers: it.raw.answer_count }),
          })
        }
        since[term] = newest
        if (data.backoff) {
          retryAfterMs = data.backoff * 1000
          break outer
        }
        if (data.quota_remaining === 0) break outer
        if (!data.has_more) break
      }
    }
    let warning: string | undefined
    if (quota.remaining !== undefined && quota.max && quota.remaining < quota.max * 0.1)
      warning = `${ID}: only ${quota.remaining} of ${quota.max} daily requests left${config.key ? '' : ' (an app key raises the limit to 10,000)'}`
    if (quota.remaining === 0 && !items.length)
      throw new CollectorError(
        'quota',
        `${ID}: daily request quota spent`,
        undefined,
        untilUtcMidnight(ctx.now()),
      )
    if (quota.remaining === 0)
      retryAfterMs = Math.max(retryAfterMs ?? 0, untilUtcMidnight(ctx.now()))
    return {
      items,
      state: { ...state, since },
      retryAfterMs,
      warning: joinWarnings(warning, skippedWarning(ID, skipped)),
    }
  },
})
