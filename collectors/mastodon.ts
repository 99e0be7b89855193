// Mastodon, per instance: public hashtag timelines (GET /api/v1/timelines/tag/:hashtag,
// https://docs.joinmastodon.org/methods/timelines/#tag) with a `since_id` cursor, and full-text
// search (GET /api/v2/search?type=statuses, https://docs.joinmastodon.org/methods/search/#v2),
// which most instances only answer for a logged-in user and which only finds posts whose authors
// opted into search. Rate limit: 300 requests per 5 minutes (X-RateLimit-* headers).
import { z } from 'zod'
import { CollectorError } from './http'
import { brandTerms, expectShape, httpUrl, joinUrl, metrics, prefixed, quote } from './shared'
import { defineCollector, type CollectedItem, type CollectContext } from './types'
import { say } from '../server/field-errors'

const ID = 'mastodon'
const MAX_TAGS = 5
const MAX_TERMS = 3
const MAX_PAGES = 3
const LIMIT = 40

const schema = z
  .object({
    instance: httpUrl().optional(),
    hashtags: z
      .string()
      .regex(
        /^[\p{L}\p{N}_#,\s]*$/u,
        say(
          'hashtags separated by commas, e.g. acme, acmecloud',
          'des hashtags séparés par des virgules, par exemple acme, acmecloud',
        ),
      )
      .optional(),
    search: z.boolean().default(false),
    token: z.string().min(1).optional(),
  })
  .strict()

interface Status {
  id: string
  uri: string
  url?: string | null
  created_at: string
  content: string
  spoiler_text?: string
  language?: string | null
  favourites_count?: number
  reblogs_count?: number
  replies_count?: number
  account: { acct: string; url?: string; followers_count?: number }
}

/** Hashtags from the config, else from the brand terms (spaces and punctuation dropped). */
export function hashtagsFor(config: { hashtags?: string }, ctx: CollectContext): string[] {
  const raw = config.hashtags?.trim()
    ? config.hashtags.split(',')
    : brandTerms(ctx.brands, MAX_TAGS * 2)
  const tags = raw.map((t) => t.replace(/[^\p{L}\p{N}_]/gu, '').toLowerCase()).filter(Boolean)
  return [...new Set(tags)].slice(0, MAX_TAGS)
}

/**
 * The account as user@instance everywhere: an instance gives its own accounts as "user" alone, so
 * the same person would be "user" from one source and "user@instance" from another, and an
 * exclusion written one way would miss the other (db/exclusions.ts authorKeys).
 */
export function fullAcct(account: Status['account'] | undefined): string | undefined {
  if (!account?.acct || account.acct.includes('@')) return account?.acct
  try {
    return `${account.acct}@${new URL(account.url ?? '').hostname}`
  } catch {
    return account.acct
  }
}

function toItem(s: Status): CollectedItem {
  const text = s.spoiler_text ? `${s.spoiler_text}\n\n${s.content}` : s.content
  return {
    externalId: s.uri,
    url: s.url ?? s.uri,
    title: '',
    text,
    author: fullAcct(s.account),
    publishedAt: new Date(s.created_at).toISOString(),
    lang: s.language ?? undefined,
    metrics: metrics({
      favourites: s.favourites_count,
      reblogs: s.reblogs_count,
      replies: s.replies_count,
      followers: s.account?.followers_count,
    }),
  }
}

/** Snowflake-style ids compare by length then lexically (they exceed 2^53). */
const newerId = (a: string, b: string) => (a.length !== b.length ? a.length > b.length : a > b)

export default defineCollector({
  id: ID,
  label: 'Mastodon',
  description: {
    en: 'Posts on a Mastodon instance: hashtag timelines, and full-text search with an account token.',
    fr: 'Messages d’une instance Mastodon : fils de hashtags, et recherche plein texte avec un jeton de compte.',
  },
  schema,
  fields: [
    {
      name: 'instance',
      type: 'url',
      label: { en: 'Instance', fr: 'Instance' },
      placeholder: 'https://mastodon.social',
      help: {
        en: 'An instance only sees the posts that reached it; add one source per large instance you care about.',
        fr: 'Une instance ne voit que les messages qui lui parviennent ; ajoutez une source par grande instance utile.',
      },
    },
    {
      name: 'hashtags',
      type: 'text',
      label: { en: 'Hashtags', fr: 'Hashtags' },
      placeholder: 'acme, acmecloud',
      help: {
        en: 'Public hashtag timelines, no account needed. Left empty: the brand terms as hashtags (at most 5).',
        fr: 'Fils publics de hashtags, sans compte. Vide : les termes des marques en hashtags (5 au plus).',
      },
    },
    {
      name: 'search',
      type: 'checkbox',
      label: { en: 'Full-text search', fr: 'Recherche plein texte' },
      help: {
        en: 'Most instances refuse status search without a logged-in user: add a token. Search only finds posts whose authors allowed it.',
        fr: 'La plupart des instances refusent la recherche de messages sans utilisateur connecté : ajoutez un jeton. Elle ne trouve que les messages dont l’auteur l’a permis.',
      },
    },
    {
      name: 'token',
      type: 'secret',
      label: { en: 'Access token (optional)', fr: 'Jeton d’accès (facultatif)' },
      help: {
        en: 'Preferences → Development → New application, scope "read:search" (or "read"); copy "Your access token".',
        fr: 'Préférences → Développement → Nouvelle application, portée « read:search » (ou « read ») ; copiez « Votre jeton d’accès ».',
      },
    },
  ],
  defaultInterval: 10 * 60,
  usesBrandQuery: true,
  async collect(ctx, config, state) {
    const base = config.instance ?? 'https://mastodon.social'
    const host = new URL(base).host
    const headers: Record<string, string> = config.token
      ? { authorization: `Bearer ${config.token}` }
      : {}
    const cursors: Record<string, string> = {
      ...((state.cursors as Record<string, string> | undefined) ?? {}),
    }
    const byUri = new Map<string, CollectedItem>()
    const warnings: string[] = []
    let retryAfterMs: number | undefined

    const checkBudget = (h: Headers) => {
      if (h.get('x-ratelimit-remaining') === '0') {
        const reset = Date.parse(h.get('x-ratelimit-reset') ?? '')
        retryAfterMs = Number.isNaN(reset) ? 5 * 60_000 : Math.max(0, reset - ctx.now().getTime())
      }
    }

    /** Pages back from the newest status to the cursor (bounded); returns the new cursor. */
    async function timeline(
      key: string,
      path: string,
      params: Record<string, string>,
      // Timelines take since_id; v2 search only knows min_id (a range filter there, same effect).
      cursorParam: 'since_id' | 'min_id' = 'since_id',
    ) {
      const since = cursors[key]
      let maxId: string | undefined
      let newest = since
      for (let page = 0; page < MAX_PAGES && retryAfterMs === undefined; page++) {
        const { data, response } = await prefixed(
          ID,
          ctx.http.json<Status[] | { statuses?: Status[] }>({
            url: joinUrl(base, path, {
              ...params,
              limit: LIMIT,
              [cursorParam]: since,
              max_id: maxId,
            }),
            headers,
            acceptStatus: key.startsWith('search:') ? [401, 403] : [],
          }),
        )
        if (response.status === 401 || response.status === 403) {
          if (config.token)
            throw new CollectorError(
              'auth',
              `${ID}: ${host} refused the access token for search (HTTP ${response.status}); check its "read:search" scope`,
              response.status,
            )
          warnings.push(
            `${ID}: ${host} does not allow full-text search without a logged-in user: add an access token (hashtags were still collected)`,
          )
          return
        }
        checkBudget(response.headers)
        const statuses = Array.isArray(data) ? data : data?.statuses
        expectShape(Array.isArray(statuses), ID, 'no list of statuses')
        for (const s of statuses) {
          if (!s?.id || !s.uri) continue
          if (!newest || newerId(s.id, newest)) newest = s.id
          byUri.set(s.uri, toItem(s))
        }
        // First poll: the newest page only; afterwards page back until we reach the cursor.
        if (statuses.length < LIMIT || !since) break
        maxId = statuses[statuses.length - 1].id
      }
      if (newest) cursors[key] = newest
    }

    for (const tag of hashtagsFor(config, ctx))
      await timeline(`tag:${tag}`, `/api/v1/timelines/tag/${encodeURIComponent(tag)}`, {})
    if (config.search)
      for (const term of brandTerms(ctx.brands, MAX_TERMS))
        await timeline(
          `search:${term}`,
          '/api/v2/search',
          { q: quote(term), type: 'statuses', resolve: 'false' },
          'min_id',
        )

    return {
      items: [...byUri.values()],
      state: { ...state, cursors },
      retryAfterMs,
      warning: warnings.length ? warnings.join('; ') : undefined,
    }
  },
})
