// YouTube. Keyless: a channel's or playlist's Atom feed (https://www.youtube.com/feeds/videos.xml
// ?channel_id=… / ?playlist_id=…, the 15 latest videos). With an API key: Data API v3 search.list
// (https://developers.google.com/youtube/v3/docs/search/list, 100 quota units a call) plus
// videos.list for statistics (1 unit) and, for your own channel, commentThreads.list (1 unit).
// A project gets 10,000 units a day, reset at midnight Pacific time: we count what we spend per
// Pacific day in state and stop with `quota` before Google has to refuse us.
import Parser from 'rss-parser'
import { z } from 'zod'
import { CollectorError } from './http'
import { firstFeedItems, parseCapped } from './rss'
import {
  decodeEntities,
  httpUrl,
  joinUrl,
  metrics,
  optionalText,
  orQuery,
  prefixed,
  textOf,
} from './shared'
import { defineCollector, type CollectedItem, type CollectContext, type SourceState } from './types'
import { say } from '../server/field-errors'

const ID = 'youtube'
const SEARCH_COST = 100
const LIST_COST = 1
const MAX_COMMENT_PAGES = 2

const schema = z
  .object({
    mode: z.enum(['feed', 'api']).default('feed'),
    channelId: z
      .string()
      .regex(/^UC[\w-]{22}$/, 'a channel id starting with UC (24 characters)')
      .optional(),
    playlistId: z
      .string()
      .regex(/^[\w-]{10,64}$/, 'a playlist id such as PL…')
      .optional(),
    apiKey: z.string().min(1).optional(),
    dailyQuota: z.coerce.number().int().min(100).max(1_000_000).default(10_000),
    regionCode: z
      .string()
      .regex(/^[A-Z]{2}$/i)
      .optional(),
    relevanceLanguage: z
      .string()
      .regex(/^[a-z]{2}(-[A-Za-z]+)?$/)
      .optional(),
    baseUrl: httpUrl().optional(),
    apiUrl: httpUrl().optional(),
  })
  .strict()
  .refine((c) => c.mode === 'api' || c.channelId || c.playlistId, {
    message: say(
      'the feed mode needs a channel id or a playlist id',
      'le mode flux demande un identifiant de chaîne ou de playlist',
    ),
    path: ['channelId'],
  })
  .refine((c) => c.mode === 'feed' || c.apiKey, {
    message: say('the API mode needs an API key', 'le mode API demande une clé d’API'),
    path: ['apiKey'],
  })
type Config = z.infer<typeof schema>

type FeedEntry = Parser.Item & {
  id?: string
  author?: unknown
  videoId?: string
  mediaGroup?: {
    'media:description'?: string[]
    'media:community'?: {
      'media:starRating'?: { $?: { count?: string } }[]
      'media:statistics'?: { $?: { views?: string } }[]
    }[]
  }
}
const feedParser = new Parser<object, FeedEntry>({
  customFields: {
    item: [
      ['yt:videoId', 'videoId'],
      ['media:group', 'mediaGroup', { keepArray: false }],
    ],
  },
})

/** Pacific-time day and milliseconds until its midnight: YouTube quotas reset then. */
export function pacificDay(now: Date): { day: string; msToReset: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: 'America/Los_Angeles',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  )
  const elapsed =
    (Number(parts.hour) * 3600 + Number(parts.minute) * 60 + Number(parts.second)) * 1000
  return { day: `${parts.year}-${parts.month}-${parts.day}`, msToReset: 86_400_000 - elapsed }
}

async function collectFeed(ctx: CollectContext, config: Config, state: SourceState) {
  const url = joinUrl(config.baseUrl ?? 'https://www.youtube.com', '/feeds/videos.xml', {
    channel_id: config.playlistId ? undefined : config.channelId,
    playlist_id: config.playlistId,
  })
  const res = await prefixed(
    ID,
    ctx.http.request({
      url,
      headers: { accept: 'application/atom+xml, application/xml;q=0.9, */*;q=0.8' },
      etag: state.etag as string | undefined,
      lastModified: state.lastModified as string | undefined,
    }),
  )
  const nextState = { ...state, etag: res.etag, lastModified: res.lastModified }
  if (res.notModified) return { items: [], state: nextState, notModified: true }
  let parsed: { feed: Parser.Output<FeedEntry>; listed?: number }
  try {
    parsed = await parseCapped(feedParser, res.body)
  } catch (err) {
    throw new CollectorError(
      'malformed',
      `${ID}: not a valid Atom feed (${(err as Error).message.split('\n')[0]})`,
    )
  }
  const listed = firstFeedItems(ID, parsed)
  const items: CollectedItem[] = listed.items.map((e) => {
    const community = e.mediaGroup?.['media:community']?.[0]
    return {
      // textOf: an attribute or a child element turns a field into an object (see shared.ts)
      externalId: optionalText(e.videoId) ?? optionalText(e.id),
      url: optionalText(e.link) ?? `https://www.youtube.com/watch?v=${textOf(e.videoId)}`,
      title: textOf(e.title).trim(),
      text: textOf(e.mediaGroup?.['media:description']),
      author: optionalText(e.author),
      publishedAt: optionalText(e.isoDate),
      metrics: metrics({
        views: Number(community?.['media:statistics']?.[0]?.$?.views ?? NaN),
        likes: Number(community?.['media:starRating']?.[0]?.$?.count ?? NaN),
      }),
    }
  })
  return { items, state: nextState, warning: listed.warning }
}

interface ApiError {
  error?: { code?: number; message?: string; errors?: { reason?: string }[] }
}

async function collectApi(ctx: CollectContext, config: Config, state: SourceState) {
  const api = config.apiUrl ?? 'https://www.googleapis.com'
  const { day, msToReset } = pacificDay(ctx.now())
  const prev = state.quota as { day?: string; used?: number } | undefined
  let used = prev?.day === day ? (prev.used ?? 0) : 0
  const budget = config.dailyQuota
  const spentMessage = `${ID}: the daily API quota (${budget} units) is spent; collection resumes after midnight Pacific time`

  async function call<T>(
    path: string,
    params: Record<string, string | number | undefined>,
    cost: number,
  ) {
    const { data, response } = await prefixed(
      ID,
      ctx.http.json<T & ApiError>({
        url: joinUrl(api, path, { ...params, key: config.apiKey }),
        acceptStatus: [400, 403],
      }),
    )
    // Google counts a unit even for refused calls.
    used += cost
    if (response.status === 400 || response.status === 403) {
      const reason = data?.error?.errors?.[0]?.reason ?? ''
      const msg = `${ID}: ${reason || 'error'}: ${data?.error?.message ?? `HTTP ${response.status}`}`
      if (reason === 'quotaExceeded' || reason === 'dailyLimitExceeded')
        throw new CollectorError('quota', spentMessage, response.status, msToReset)
      if (reason === 'rateLimitExceeded' || reason === 'userRateLimitExceeded')
        throw new CollectorError('rate_limited', msg, response.status, 60_000)
      if (
        /keyInvalid|keyExpired|forbidden|accessNotConfigured|ipRefererBlocked/.test(reason) ||
        data?.error?.message?.includes('API key')
      )
        throw new CollectorError('auth', msg, response.status)
      throw new CollectorError(response.status === 400 ? 'config' : 'http', msg, response.status)
    }
    if (!data || typeof data !== 'object' || !Array.isArray((data as { items?: unknown }).items))
      throw new CollectorError('malformed', `${ID}: unexpected response shape (no items array)`)
    return data
  }

  if (used + SEARCH_COST > budget)
    throw new CollectorError('quota', spentMessage, undefined, msToReset)

  const since =
    typeof state.since === 'string'
      ? state.since
      : new Date(ctx.now().getTime() - 86_400_000).toISOString()
  type Search = {
    items: {
      id: { videoId?: string }
      snippet: { publishedAt: string; title: string; description: string; channelTitle: string }
    }[]
  }
  // One search page per poll: at 100 units a call, paging would eat the day in a few polls.
  const search = await call<Search>(
    '/youtube/v3/search',
    {
      part: 'snippet',
      q: orQuery(ID, ctx.brands, 10, '|'),
      type: 'video',
      order: 'date',
      publishedAfter: since,
      maxResults: 50,
      regionCode: config.regionCode?.toUpperCase(),
      relevanceLanguage: config.relevanceLanguage,
    },
    SEARCH_COST,
  )
  let newest = since
  const videos = search.items.filter((v) => v.id?.videoId && v.snippet.publishedAt > since)
  for (const v of videos) if (v.snippet.publishedAt > newest) newest = v.snippet.publishedAt

  const stats = new Map<string, Record<string, string>>()
  if (videos.length && used + LIST_COST <= budget) {
    type Videos = { items: { id: string; statistics?: Record<string, string> }[] }
    const v = await call<Videos>(
      '/youtube/v3/videos',
      { part: 'statistics', id: videos.map((x) => x.id.videoId).join(',') },
      LIST_COST,
    )
    for (const it of v.items) if (it.statistics) stats.set(it.id, it.statistics)
  }
  const items: CollectedItem[] = videos.map((v) => {
    const s = stats.get(v.id.videoId!) ?? {}
    return {
      externalId: v.id.videoId,
      url: `https://www.youtube.com/watch?v=${v.id.videoId}`,
      // search.list returns HTML-escaped snippets (&#39;, &amp;).
      title: decodeEntities(v.snippet.title),
      text: decodeEntities(v.snippet.description),
      author: v.snippet.channelTitle,
      publishedAt: new Date(v.snippet.publishedAt).toISOString(),
      metrics: metrics({
        views: Number(s.viewCount ?? NaN),
        likes: Number(s.likeCount ?? NaN),
        comments: Number(s.commentCount ?? NaN),
      }),
    }
  })

  // Comments on your own channel: every thread, newest first, down to the watermark.
  let commentsSince = typeof state.commentsSince === 'string' ? state.commentsSince : since
  if (config.channelId) {
    type Threads = {
      nextPageToken?: string
      items: {
        id: string
        snippet: {
          videoId?: string
          totalReplyCount?: number
          topLevelComment: {
            id: string
            snippet: {
              authorDisplayName: string
              textDisplay: string
              textOriginal?: string
              likeCount?: number
              publishedAt: string
              videoId?: string
            }
          }
        }
      }[]
    }
    let pageToken: string | undefined
    let newestComment = commentsSince
    for (let page = 0; page < MAX_COMMENT_PAGES && used + LIST_COST <= budget; page++) {
      const t = await call<Threads>(
        '/youtube/v3/commentThreads',
        {
          part: 'snippet',
          allThreadsRelatedToChannelId: config.channelId,
          order: 'time',
          maxResults: 100,
          textFormat: 'plainText',
          pageToken,
        },
        LIST_COST,
      )
      let reachedOld = false
      for (const th of t.items) {
        const c = th.snippet.topLevelComment.snippet
        if (c.publishedAt <= commentsSince) {
          reachedOld = true
          continue
        }
        if (c.publishedAt > newestComment) newestComment = c.publishedAt
        const videoId = th.snippet.videoId ?? c.videoId
        items.push({
          externalId: th.id,
          url: `https://www.youtube.com/watch?v=${videoId}&lc=${th.id}`,
          title: '',
          text: c.textOriginal ?? c.textDisplay,
          author: c.authorDisplayName,
          publishedAt: new Date(c.publishedAt).toISOString(),
          metrics: metrics({ likes: c.likeCount, replies: th.snippet.totalReplyCount }),
        })
      }
      pageToken = t.nextPageToken
      if (reachedOld || !pageToken) break
    }
    commentsSince = newestComment
  }

  const warning =
    used + SEARCH_COST > budget
      ? spentMessage
      : used > budget * 0.8
        ? `${ID}: ${used} of ${budget} daily API units spent`
        : undefined
  return {
    items,
    state: { ...state, since: newest, commentsSince, quota: { day, used } },
    warning,
    retryAfterMs: used + SEARCH_COST > budget ? msToReset : undefined,
  }
}

export default defineCollector({
  id: ID,
  label: 'YouTube',
  description: {
    en: 'YouTube videos: a channel or playlist feed without a key, or search and your channel’s comments with an API key.',
    fr: 'Vidéos YouTube : flux d’une chaîne ou playlist sans clé, ou recherche et commentaires de votre chaîne avec une clé d’API.',
  },
  schema,
  fields: [
    {
      name: 'mode',
      type: 'select',
      label: { en: 'Access', fr: 'Accès' },
      options: [
        {
          value: 'feed',
          label: { en: 'Channel/playlist feed (no key)', fr: 'Flux chaîne/playlist (sans clé)' },
        },
        {
          value: 'api',
          label: { en: 'Search with the Data API', fr: 'Recherche via la Data API' },
        },
      ],
      help: {
        en: 'The feed lists a channel’s 15 latest videos. The API searches all of YouTube: each search costs 100 of the 10,000 free daily units, so poll every 30 minutes at most.',
        fr: 'Le flux liste les 15 dernières vidéos d’une chaîne. L’API cherche dans tout YouTube : chaque recherche coûte 100 des 10 000 unités gratuites par jour, donc une interrogation toutes les 30 minutes au plus.',
      },
    },
    {
      name: 'channelId',
      type: 'text',
      label: { en: 'Channel id', fr: 'Identifiant de chaîne' },
      placeholder: 'UCxxxxxxxxxxxxxxxxxxxxxx',
      help: {
        en: 'Starts with UC (youtube.com/channel/UC…). In API mode, comments on this channel are collected too.',
        fr: 'Commence par UC (youtube.com/channel/UC…). En mode API, les commentaires de cette chaîne sont aussi collectés.',
      },
    },
    {
      name: 'playlistId',
      type: 'text',
      label: { en: 'Playlist id (feed mode)', fr: 'Identifiant de playlist (mode flux)' },
      placeholder: 'PL…',
    },
    {
      name: 'apiKey',
      type: 'secret',
      label: { en: 'API key', fr: 'Clé d’API' },
      help: {
        en: 'Google Cloud console → enable "YouTube Data API v3" → Credentials → API key.',
        fr: 'Console Google Cloud → activer « YouTube Data API v3 » → Identifiants → Clé API.',
      },
    },
    {
      name: 'dailyQuota',
      type: 'number',
      label: { en: 'Daily quota (units)', fr: 'Quota quotidien (unités)' },
      placeholder: '10000',
      help: {
        en: 'Lower it if the same Google project serves other tools.',
        fr: 'À baisser si le même projet Google sert à d’autres outils.',
      },
    },
    {
      name: 'regionCode',
      type: 'text',
      label: { en: 'Region (API mode)', fr: 'Région (mode API)' },
      placeholder: 'FR',
    },
    {
      name: 'relevanceLanguage',
      type: 'text',
      label: { en: 'Language (API mode)', fr: 'Langue (mode API)' },
      placeholder: 'fr',
    },
    {
      name: 'baseUrl',
      type: 'url',
      label: { en: 'Feed base URL (optional)', fr: 'URL de base des flux (facultatif)' },
      placeholder: 'https://www.youtube.com',
    },
    {
      name: 'apiUrl',
      type: 'url',
      label: { en: 'API base URL (optional)', fr: 'URL de base de l’API (facultatif)' },
      placeholder: 'https://www.googleapis.com',
    },
  ],
  defaultInterval: 30 * 60,
  usesBrandQuery: true,
  collect: (ctx, config, state) =>
    config.mode === 'api' ? collectApi(ctx, config, state) : collectFeed(ctx, config, state),
})
