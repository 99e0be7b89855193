// GitHub issue and pull-request search (https://docs.github.com/en/rest/search/search#search-issues-and-pull-requests).
// GitHub requires `is:issue` or `is:pull-request` in every issue search, so each kind is its own
// request. Anonymous search is 10 requests a minute (30 with a token): we read
// x-ratelimit-remaining / x-ratelimit-reset and stop early with `retryAfterMs` rather than be refused.
import { z } from 'zod'
import { classifyStatus, CollectorError } from './http'
import {
  baseUrlField,
  brandTerms,
  expectShape,
  httpUrl,
  joinUrl,
  joinWarnings,
  metrics,
  optionalText,
  prefixed,
  quote,
  skippedWarning,
  textOf,
} from './shared'
import { defineCollector, type CollectedItem } from './types'

const ID = 'github'
/** GitHub allows at most five AND/OR/NOT operators in a query: six terms OR-joined. */
const MAX_TERMS = 6
const MAX_PAGES = 2
const PER_PAGE = 50
const FIRST_LOOKBACK_MS = 24 * 3600 * 1000

const schema = z
  .object({
    baseUrl: httpUrl().optional(),
    token: z.string().min(1).optional(),
    kinds: z.enum(['both', 'issue', 'pull-request']).default('both'),
    qualifiers: z
      .string()
      .max(200)
      .regex(/^[^\n]*$/)
      .optional(),
  })
  .strict()

// As documented; `readIssue` still checks what an item cannot do without, since a wrong type
// must cost one item, not the poll.
interface Issue {
  id: number
  html_url: string
  title: unknown
  body?: unknown
  user?: { login?: unknown } | null
  created_at: string
  comments?: number
  reactions?: { total_count?: number }
  pull_request?: unknown
}

/** The id, link and creation date of an issue, or undefined when one is unusable. */
function readIssue(
  raw: unknown,
): { id: string; url: string; created: Date; raw: Issue } | undefined {
  if (!raw || typeof raw !== 'object') return undefined
  const it = raw as Issue
  const id = optionalText(it.id)
  const url = optionalText(it.html_url)
  const created = new Date(typeof it.created_at === 'string' ? it.created_at : NaN)
  if (!id || !url || Number.isNaN(created.getTime())) return undefined
  return { id, url, created, raw: it }
}

interface SearchResponse {
  total_count: number
  incomplete_results: boolean
  items: Issue[]
}

/** `2026-03-09T12:00:00Z`: GitHub's date qualifiers take ISO-8601 without milliseconds. */
const isoSeconds = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z')

export default defineCollector({
  id: ID,
  label: 'GitHub',
  description: {
    en: 'Issues and pull requests on GitHub that mention your brands.',
    fr: 'Tickets (issues) et pull requests GitHub qui citent vos marques.',
  },
  schema,
  fields: [
    {
      name: 'token',
      type: 'secret',
      label: { en: 'Access token (optional)', fr: 'Jeton d’accès (facultatif)' },
      help: {
        en: 'A fine-grained token with no scopes is enough. Without it search allows 10 requests a minute per IP, with it 30.',
        fr: 'Un jeton « fine-grained » sans permission suffit. Sans jeton : 10 recherches par minute et par IP ; avec : 30.',
      },
    },
    {
      name: 'kinds',
      type: 'select',
      label: { en: 'What to search', fr: 'Quoi chercher' },
      options: [
        {
          value: 'both',
          label: { en: 'Issues and pull requests', fr: 'Tickets et pull requests' },
        },
        { value: 'issue', label: { en: 'Issues only', fr: 'Tickets seulement' } },
        {
          value: 'pull-request',
          label: { en: 'Pull requests only', fr: 'Pull requests seulement' },
        },
      ],
    },
    {
      name: 'qualifiers',
      type: 'text',
      label: { en: 'Extra qualifiers', fr: 'Filtres supplémentaires' },
      placeholder: '-org:acme language:go',
      help: {
        en: 'Added to the query as is, e.g. -org:acme to leave out your own repositories.',
        fr: 'Ajoutés tels quels à la requête, p. ex. -org:acme pour exclure vos propres dépôts.',
      },
    },
    baseUrlField('https://api.github.com'),
  ],
  defaultInterval: 15 * 60,
  usesBrandQuery: true,
  async collect(ctx, config, state) {
    const base = config.baseUrl ?? 'https://api.github.com'
    const terms = brandTerms(ctx.brands, MAX_TERMS)
    if (!terms.length) throw new CollectorError('config', `${ID}: no brand terms to search for`)
    // One watermark per kind: a poll cut short by the rate limit must not skip the other kind.
    const firstSince = isoSeconds(new Date(ctx.now().getTime() - FIRST_LOOKBACK_MS))
    const since: Record<string, string> = {
      ...((state.since as Record<string, string> | undefined) ?? {}),
    }
    const headers: Record<string, string> = {
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
    }
    if (config.token) headers.authorization = `Bearer ${config.token}`
    const kinds = config.kinds === 'both' ? ['issue', 'pull-request'] : [config.kinds]

    const items: CollectedItem[] = []
    let retryAfterMs: number | undefined
    let warning: string | undefined
    let skipped = 0
    outer: for (const kind of kinds) {
      const from = (since[kind] ??= firstSince)
      const q = [terms.map(quote).join(' OR '), `is:${kind}`, `created:>${from}`, config.qualifiers]
        .filter(Boolean)
        .join(' ')
      for (let page = 1; page <= MAX_PAGES; page++) {
        const url = joinUrl(base, '/search/issues', {
          q,
          sort: 'created',
          // Oldest first: when a poll is cut short, the watermark still advances without gaps.
          order: 'asc',
          per_page: PER_PAGE,
          page,
        })
        const { data, response } = await prefixed(
          ID,
          ctx.http.json<SearchResponse & { message?: string }>({
            url,
            headers,
            acceptStatus: [403, 422, 429],
          }),
        )
        const remaining = response.headers.get('x-ratelimit-remaining')
        const reset = Number(response.headers.get('x-ratelimit-reset'))
        const untilReset = reset ? Math.max(0, reset * 1000 - ctx.now().getTime()) : undefined
        if (response.status === 422)
          throw new CollectorError(
            'config',
            `${ID}: GitHub refused the query (${data?.message ?? 'validation failed'}): ${q}`,
            422,
          )
        if (response.status === 403 || response.status === 429) {
          const retryAfter = response.headers.get('retry-after')
          if (remaining === '0' || retryAfter)
            throw new CollectorError(
              'rate_limited',
              `${ID}: search rate limit reached${config.token ? '' : ' (add a token for 30 requests a minute)'}`,
              response.status,
              retryAfter ? Number(retryAfter) * 1000 : untilReset,
            )
          const err = classifyStatus(response.status, url, !!config.token)
          throw new CollectorError(err.code, `${ID}: ${err.message}`, err.status)
        }
        expectShape(data && Array.isArray(data.items), ID, 'no items array')
        for (const raw of data.items) {
          const it = readIssue(raw)
          if (!it) {
            skipped++
            continue
          }
          const created = isoSeconds(it.created)
          if (created > since[kind]) since[kind] = created
          items.push({
            externalId: it.id,
            url: it.url,
            title: textOf(it.raw.title).trim(),
            text: textOf(it.raw.body),
            author: optionalText(it.raw.user?.login),
            publishedAt: it.created.toISOString(),
            metrics: metrics({
              comments: it.raw.comments,
              reactions: it.raw.reactions?.total_count,
            }),
          })
        }
        if (data.incomplete_results) warning = `${ID}: GitHub returned incomplete results (timeout)`
        if (remaining === '0') {
          retryAfterMs = untilReset
          break outer
        }
        if (data.items.length < PER_PAGE) break
      }
    }
    return {
      items,
      state: { ...state, since },
      retryAfterMs,
      warning: joinWarnings(warning, skippedWarning(ID, skipped)),
    }
  },
})
