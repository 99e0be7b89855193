// Reddit search. With an app's credentials: OAuth2 client_credentials ("application-only",
// https://github.com/reddit-archive/reddit/wiki/OAuth2) then https://oauth.reddit.com/search
// (https://www.reddit.com/dev/api#GET_search), 100 requests a minute, tracked through the
// X-Ratelimit-* headers. Without credentials: the search's Atom feed (/search.rss), which Reddit
// often refuses to datacenter IPs with a 403.
import { z } from 'zod'
import { CollectorError } from './http'
import { feedWarning, parseFeed } from './rss'
import { expectShape, httpUrl, joinUrl, metrics, orQuery, prefixed } from './shared'
import { defineCollector, type CollectedItem, type CollectContext, type SourceState } from './types'
import { say } from '../server/field-errors'

const ID = 'reddit'
const MAX_PAGES = 3
const LIMIT = 100

const schema = z
  .object({
    mode: z.enum(['oauth', 'rss']).default('rss'),
    clientId: z.string().min(1).optional(),
    clientSecret: z.string().min(1).optional(),
    subreddit: z
      .string()
      .regex(/^[A-Za-z0-9_]{2,21}$/, 'a subreddit name without r/')
      .optional(),
    baseUrl: httpUrl().optional(),
    apiUrl: httpUrl().optional(),
  })
  .strict()
  .refine((c) => c.mode === 'rss' || (c.clientId && c.clientSecret), {
    message: say(
      'the OAuth mode needs the app’s client id and secret',
      'le mode OAuth demande l’identifiant et le secret de l’application',
    ),
    path: ['clientId'],
  })
type Config = z.infer<typeof schema>

interface Post {
  name: string
  id: string
  title: string
  selftext?: string
  is_self?: boolean
  url?: string
  author?: string
  subreddit?: string
  permalink: string
  created_utc: number
  score?: number
  num_comments?: number
  upvote_ratio?: number
}
interface Listing {
  kind: 'Listing'
  data: { after: string | null; children: { kind: string; data: Post }[] }
}

const BLOCKED_HELP =
  'Reddit refused the request (HTTP 403): it often blocks datacenter and VPN addresses. Use the OAuth mode with an app’s credentials.'

async function getToken(ctx: CollectContext, config: Config, base: string) {
  const basic = Buffer.from(`${config.clientId}:${config.clientSecret}`).toString('base64')
  const { data } = await prefixed(
    ID,
    ctx.http.json<{ access_token?: string; expires_in?: number; error?: string }>({
      url: joinUrl(base, '/api/v1/access_token'),
      method: 'POST',
      headers: {
        authorization: `Basic ${basic}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    }),
  )
  if (!data?.access_token)
    throw new CollectorError(
      'auth',
      `${ID}: Reddit refused the app credentials (${data?.error ?? 'no token'})`,
    )
  return {
    token: data.access_token,
    tokenExpiresAt: ctx.now().getTime() + (data.expires_in ?? 3600) * 1000 - 60_000,
  }
}

function mapPost(p: Post): CollectedItem {
  return {
    externalId: p.name,
    url: `https://www.reddit.com${p.permalink}`,
    title: p.title,
    text: [p.selftext, p.is_self ? '' : p.url].filter(Boolean).join('\n\n'),
    author: p.author,
    publishedAt: new Date(p.created_utc * 1000).toISOString(),
    metrics: metrics({
      score: p.score,
      comments: p.num_comments,
      upvoteRatio: p.upvote_ratio,
    }),
  }
}

async function collectOauth(ctx: CollectContext, config: Config, state: SourceState) {
  const base = config.baseUrl ?? 'https://www.reddit.com'
  const api = config.apiUrl ?? 'https://oauth.reddit.com'
  let auth =
    typeof state.token === 'string' &&
    Number(state.tokenExpiresAt) > ctx.now().getTime() &&
    (state.tokenFor === undefined || state.tokenFor === config.clientId)
      ? { token: state.token, tokenExpiresAt: Number(state.tokenExpiresAt) }
      : await getToken(ctx, config, base)
  const since = typeof state.since === 'number' ? state.since : 0
  const path = config.subreddit ? `/r/${config.subreddit}/search` : '/search'
  const items: CollectedItem[] = []
  let newest = since
  let after: string | undefined
  let retryAfterMs: number | undefined
  let refreshed = false
  for (let page = 0; page < MAX_PAGES; page++) {
    const url = joinUrl(api, path, {
      q: orQuery(ID, ctx.brands),
      sort: 'new',
      type: 'link',
      limit: LIMIT,
      restrict_sr: config.subreddit ? 'on' : undefined,
      after,
      raw_json: 1,
    })
    const { data, response } = await prefixed(
      ID,
      ctx.http.json<Listing>({
        url,
        headers: { authorization: `Bearer ${auth.token}` },
        acceptStatus: [401],
      }),
    )
    if (response.status === 401) {
      // A revoked or expired token: get a fresh one once, then give up.
      if (refreshed) throw new CollectorError('auth', `${ID}: Reddit refused the access token`, 401)
      auth = await getToken(ctx, config, base)
      refreshed = true
      page--
      continue
    }
    expectShape(data?.kind === 'Listing' && Array.isArray(data.data?.children), ID, 'not a Listing')
    let reachedOld = false
    for (const child of data.data.children) {
      const p = child.data
      if (child.kind !== 't3' || !p?.name) continue
      if (p.created_utc <= since) {
        reachedOld = true
        continue
      }
      newest = Math.max(newest, p.created_utc)
      items.push(mapPost(p))
    }
    const remaining = Number(response.headers.get('x-ratelimit-remaining'))
    const reset = Number(response.headers.get('x-ratelimit-reset'))
    if (response.headers.has('x-ratelimit-remaining') && remaining < 1) {
      retryAfterMs = reset * 1000
      break
    }
    after = data.data.after ?? undefined
    // First poll: one page; later ones page back until they meet the watermark.
    if (reachedOld || !after || !since) break
  }
  return {
    items,
    state: { ...state, ...auth, tokenFor: config.clientId, since: newest },
    retryAfterMs,
  }
}

async function collectRss(ctx: CollectContext, config: Config, state: SourceState) {
  const base = config.baseUrl ?? 'https://www.reddit.com'
  const path = config.subreddit ? `/r/${config.subreddit}/search.rss` : '/search.rss'
  const url = joinUrl(base, path, {
    q: orQuery(ID, ctx.brands),
    sort: 'new',
    restrict_sr: config.subreddit ? 'on' : undefined,
  })
  const res = await prefixed(
    ID,
    ctx.http.request({
      url,
      headers: { accept: 'application/atom+xml, application/xml;q=0.9, */*;q=0.8' },
      etag: state.etag as string | undefined,
      lastModified: state.lastModified as string | undefined,
      acceptStatus: [403],
    }),
  )
  if (res.status === 403) throw new CollectorError('blocked', `${ID}: ${BLOCKED_HELP}`, 403)
  const nextState = { ...state, etag: res.etag, lastModified: res.lastModified }
  if (res.notModified) return { items: [], state: nextState, notModified: true }
  const feed = await prefixed(ID, parseFeed(res.body, url))
  return {
    items: feed.items.map((it) => ({ ...it, author: it.author?.replace(/^\/?u\//, '') })),
    state: nextState,
    warning: feedWarning(ID, feed),
  }
}

export default defineCollector({
  id: ID,
  label: 'Reddit',
  description: {
    en: 'Reddit posts mentioning your brands, across Reddit or in one subreddit.',
    fr: 'Publications Reddit citant vos marques, sur tout Reddit ou dans un subreddit.',
  },
  schema,
  fields: [
    {
      name: 'mode',
      type: 'select',
      label: { en: 'Access', fr: 'Accès' },
      options: [
        { value: 'rss', label: { en: 'RSS feed (no account)', fr: 'Flux RSS (sans compte)' } },
        { value: 'oauth', label: { en: 'API with an app', fr: 'API avec une application' } },
      ],
      help: {
        en: 'RSS needs nothing but Reddit often refuses it to servers in datacenters (HTTP 403). The API needs a "script" app created at reddit.com/prefs/apps; 100 requests a minute.',
        fr: 'Le RSS ne demande rien, mais Reddit le refuse souvent aux serveurs hébergés en datacenter (HTTP 403). L’API demande une app « script » créée sur reddit.com/prefs/apps ; 100 requêtes par minute.',
      },
    },
    {
      name: 'clientId',
      type: 'text',
      label: { en: 'Client id', fr: 'Identifiant client' },
      help: {
        en: 'The string under the app’s name on reddit.com/prefs/apps (API mode only).',
        fr: 'La chaîne sous le nom de l’app sur reddit.com/prefs/apps (mode API seulement).',
      },
    },
    { name: 'clientSecret', type: 'secret', label: { en: 'Client secret', fr: 'Secret client' } },
    {
      name: 'subreddit',
      type: 'text',
      label: { en: 'Subreddit (optional)', fr: 'Subreddit (facultatif)' },
      placeholder: 'france',
    },
    {
      name: 'baseUrl',
      type: 'url',
      label: { en: 'Base URL (optional)', fr: 'URL de base (facultatif)' },
      placeholder: 'https://www.reddit.com',
    },
    {
      name: 'apiUrl',
      type: 'url',
      label: { en: 'API URL (optional)', fr: 'URL de l’API (facultatif)' },
      placeholder: 'https://oauth.reddit.com',
    },
  ],
  defaultInterval: 15 * 60,
  usesBrandQuery: true,
  collect: (ctx, config, state) =>
    config.mode === 'oauth' ? collectOauth(ctx, config, state) : collectRss(ctx, config, state),
})
