// Bluesky, two ways. Search: app.bsky.feed.searchPosts
// (https://docs.bsky.app/docs/api/app-bsky-feed-search-posts), which now needs a logged-in
// account: a session from com.atproto.server.createSession with an app password, refreshed with
// refreshSession, tokens kept in state (createSession is limited to 30 per 5 minutes, so we never
// log in per poll). Jetstream (https://github.com/bluesky-social/jetstream): a keyless WebSocket
// firehose of every new post, filtered here with a cheap accent/case-insensitive substring test
// before anything reaches the pipeline, resumed from its `time_us` cursor after a reconnect.
import WebSocket from 'ws'
import { z } from 'zod'
import { CollectorError, DEFAULT_USER_AGENT } from './http'
import { brandTerms, expectShape, fold, httpUrl, joinUrl, metrics, prefixed, quote } from './shared'
import {
  defineCollector,
  type CollectedItem,
  type CollectContext,
  type CollectResult,
  type SourceState,
} from './types'
import { say } from '../server/field-errors'

const ID = 'bluesky'
const MAX_TERMS = 5
const MAX_PAGES = 2
const LIMIT = 100
const DEFAULT_JETSTREAM = 'wss://jetstream2.us-east.bsky.network/subscribe'
/** Reconnect backoff: 0.5 s doubling to 1 min; reset once a connection delivered events. */
export const RECONNECT_BASE_MS = 500
const RECONNECT_MAX_MS = 60_000
/** Jetstream advises replaying a little on reconnect; the pipeline drops the duplicates. */
const REWIND_US = 2_000_000
/** Persist the cursor at least this often even when nothing matched. */
const CURSOR_PERSIST_MS = 10_000
// Matching posts waiting to be stored: past PAUSE_AT the socket stops reading until storage has
// brought them under RESUME_BELOW (a flood of 50,000 matching events a second grew memory
// without bound).
export const PAUSE_AT = 5_000
const RESUME_BELOW = 1_000

const schema = z
  .object({
    mode: z.enum(['search', 'jetstream']).default('search'),
    handle: z.string().min(3).optional(),
    appPassword: z.string().min(1).optional(),
    service: httpUrl().optional(),
    lang: z
      .string()
      .regex(
        /^[a-z]{2}$/,
        say(
          'a two-letter language code such as fr',
          'un code langue de deux lettres, par exemple fr',
        ),
      )
      .optional(),
    jetstreamUrl: z
      .string()
      .regex(/^wss?:\/\/\S+$/, say('a ws:// or wss:// address', 'une adresse ws:// ou wss://'))
      .optional(),
  })
  .strict()
  .refine((c) => c.mode === 'jetstream' || (c.handle && c.appPassword), {
    message: say(
      'search needs an account handle and an app password',
      'la recherche demande un identifiant de compte et un mot de passe d’application',
    ),
    path: ['appPassword'],
  })
type Config = z.infer<typeof schema>

interface Session {
  accessJwt: string
  refreshJwt: string
  did?: string
}
interface PostView {
  uri: string
  cid: string
  author: { did: string; handle: string; displayName?: string }
  record: { text?: string; createdAt?: string; langs?: string[] }
  replyCount?: number
  repostCount?: number
  likeCount?: number
  quoteCount?: number
  indexedAt: string
}
type XrpcError = { error?: string; message?: string }

const rkeyOf = (uri: string) => uri.split('/').pop() ?? ''
const iso = (s: string | undefined) => {
  const d = new Date(s ?? '')
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString()
}

function fromPostView(p: PostView): CollectedItem {
  return {
    externalId: p.uri,
    url: `https://bsky.app/profile/${p.author.handle}/post/${rkeyOf(p.uri)}`,
    title: '',
    text: p.record?.text ?? '',
    author: p.author.handle,
    publishedAt: iso(p.record?.createdAt) ?? iso(p.indexedAt),
    lang: p.record?.langs?.[0],
    metrics: metrics({
      likes: p.likeCount,
      reposts: p.repostCount,
      replies: p.replyCount,
      quotes: p.quoteCount,
    }),
  }
}

function rateLimited(h: Headers, now: Date, what: string) {
  const reset = Number(h.get('ratelimit-reset'))
  return new CollectorError(
    'rate_limited',
    `${ID}: ${what} rate limit reached`,
    429,
    reset ? Math.max(0, reset * 1000 - now.getTime()) : 60_000,
  )
}

async function createSession(ctx: CollectContext, config: Config, base: string): Promise<Session> {
  const { data, response } = await prefixed(
    ID,
    ctx.http.json<Session & XrpcError>({
      url: joinUrl(base, '/xrpc/com.atproto.server.createSession'),
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier: config.handle, password: config.appPassword }),
      acceptStatus: [400, 401, 429],
    }),
  )
  if (response.status === 429) throw rateLimited(response.headers, ctx.now(), 'login')
  if (response.status !== 200 || !data?.accessJwt)
    throw new CollectorError(
      'auth',
      data?.error === 'AuthFactorTokenRequired'
        ? `${ID}: this account asks for an email code; use an app password (Settings → App passwords)`
        : `${ID}: handle or app password refused (${data?.message ?? data?.error ?? `HTTP ${response.status}`})`,
      response.status,
    )
  return { accessJwt: data.accessJwt, refreshJwt: data.refreshJwt, did: data.did }
}

async function refreshSession(
  ctx: CollectContext,
  base: string,
  s: Session,
): Promise<Session | undefined> {
  const { data, response } = await prefixed(
    ID,
    ctx.http.json<Session & XrpcError>({
      url: joinUrl(base, '/xrpc/com.atproto.server.refreshSession'),
      method: 'POST',
      headers: { authorization: `Bearer ${s.refreshJwt}` },
      acceptStatus: [400, 401],
    }),
  )
  if (response.status !== 200 || !data?.accessJwt) return undefined
  return { accessJwt: data.accessJwt, refreshJwt: data.refreshJwt, did: data.did ?? s.did }
}

async function collectSearch(
  ctx: CollectContext,
  config: Config,
  state: SourceState,
): Promise<CollectResult> {
  const base = config.service ?? 'https://bsky.social'
  const kept = state.session as (Session & { handle?: string }) | undefined
  // A session belongs to the account it was opened for: a changed handle logs in again.
  let session =
    kept?.accessJwt && (!kept.handle || kept.handle === config.handle)
      ? kept
      : await createSession(ctx, config, base)
  let renewed = false

  async function search(params: Record<string, string | number | undefined>) {
    for (;;) {
      const { data, response } = await prefixed(
        ID,
        ctx.http.json<{ posts?: PostView[]; cursor?: string } & XrpcError>({
          url: joinUrl(base, '/xrpc/app.bsky.feed.searchPosts', params),
          headers: { authorization: `Bearer ${session.accessJwt}` },
          acceptStatus: [400, 401, 429],
        }),
      )
      if (response.status === 429) throw rateLimited(response.headers, ctx.now(), 'search')
      const expired =
        response.status === 401 || data?.error === 'ExpiredToken' || data?.error === 'InvalidToken'
      if (expired && !renewed) {
        // Access tokens live about two hours: refresh, and log in again only if that fails.
        renewed = true
        session =
          (await refreshSession(ctx, base, session)) ?? (await createSession(ctx, config, base))
        continue
      }
      if (expired)
        throw new CollectorError(
          'auth',
          `${ID}: the session was refused after renewal`,
          response.status,
        )
      if (response.status === 400)
        throw new CollectorError(
          'config',
          `${ID}: ${data?.error ?? 'bad request'}: ${data?.message ?? ''}`.trim(),
          400,
        )
      expectShape(data && Array.isArray(data.posts), ID, 'no posts array')
      return data as { posts: PostView[]; cursor?: string }
    }
  }

  const since: Record<string, string> = { ...((state.since as Record<string, string>) ?? {}) }
  const byUri = new Map<string, CollectedItem>()
  const firstSince = new Date(ctx.now().getTime() - 86_400_000).toISOString()
  for (const term of brandTerms(ctx.brands, MAX_TERMS)) {
    const from = since[term] ?? firstSince
    let newest = from
    let cursor: string | undefined
    for (let page = 0; page < MAX_PAGES; page++) {
      const data = await search({
        q: quote(term),
        sort: 'latest',
        since: from,
        lang: config.lang,
        limit: LIMIT,
        cursor,
      })
      for (const p of data.posts) {
        if (!p?.uri || p.indexedAt <= from) continue
        if (p.indexedAt > newest) newest = p.indexedAt
        byUri.set(p.uri, fromPostView(p))
      }
      cursor = data.cursor
      if (!cursor || data.posts.length < LIMIT) break
    }
    since[term] = newest
  }
  return {
    items: [...byUri.values()],
    state: { ...state, session: { ...session, handle: config.handle }, since },
  }
}

interface JetstreamEvent {
  did: string
  time_us: number
  kind: 'commit' | 'identity' | 'account'
  commit?: {
    operation: 'create' | 'update' | 'delete'
    collection: string
    rkey: string
    cid?: string
    record?: { text?: string; createdAt?: string; langs?: string[] }
  }
}

const isStr = (x: unknown): x is string => typeof x === 'string'

/**
 * A Jetstream frame as an event, or undefined when it is not one: the firehose is a stranger's
 * JSON (a relay's bug, a hostile endpoint given as jetstreamUrl), so nothing is assumed about its
 * shape. A field of the wrong type is dropped, never passed on (one such frame used to throw in
 * the socket's message handler and take the whole process down).
 */
export function parseJetstreamEvent(raw: string): JetstreamEvent | undefined {
  let v: unknown
  try {
    v = JSON.parse(raw)
  } catch {
    return undefined
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined
  const o = v as Record<string, unknown>
  if (!isStr(o.did) || typeof o.time_us !== 'number' || !Number.isFinite(o.time_us))
    return undefined
  if (o.kind !== 'commit' && o.kind !== 'identity' && o.kind !== 'account') return undefined
  const ev: JetstreamEvent = { did: o.did, time_us: o.time_us, kind: o.kind }
  const c = o.commit as Record<string, unknown> | null | undefined
  if (c && typeof c === 'object' && isStr(c.operation) && isStr(c.collection) && isStr(c.rkey)) {
    const r = c.record as Record<string, unknown> | null | undefined
    const record =
      r && typeof r === 'object'
        ? {
            text: isStr(r.text) ? r.text : undefined,
            createdAt: isStr(r.createdAt) ? r.createdAt : undefined,
            langs: Array.isArray(r.langs) ? r.langs.filter(isStr) : undefined,
          }
        : undefined
    ev.commit = {
      operation: c.operation as 'create' | 'update' | 'delete',
      collection: c.collection,
      rkey: c.rkey,
      record,
    }
  }
  return ev
}

/** The Jetstream event as an item when it is a new post mentioning a brand term, else undefined. */
export function matchJetstreamEvent(
  ev: JetstreamEvent,
  needles: string[],
): CollectedItem | undefined {
  const c = ev.commit
  if (ev.kind !== 'commit' || c?.operation !== 'create' || c.collection !== 'app.bsky.feed.post')
    return undefined
  const text = c.record?.text
  if (!text) return undefined
  const hay = fold(text)
  if (!needles.some((n) => hay.includes(n))) return undefined
  return {
    externalId: `at://${ev.did}/app.bsky.feed.post/${c.rkey}`,
    // Jetstream carries DIDs, not handles; bsky.app resolves either in a profile URL.
    url: `https://bsky.app/profile/${ev.did}/post/${c.rkey}`,
    title: '',
    text,
    author: ev.did,
    publishedAt: iso(c.record?.createdAt) ?? new Date(Math.floor(ev.time_us / 1000)).toISOString(),
    lang: c.record?.langs?.[0],
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
    function done() {
      clearTimeout(t)
      signal.removeEventListener('abort', done)
      resolve()
    }
  })

async function listenJetstream(
  ctx: CollectContext & { signal: AbortSignal; trouble?: (error: CollectorError) => void },
  config: Config,
  state: SourceState,
  emit: (batch: CollectResult) => Promise<void>,
) {
  const needles = brandTerms(ctx.brands, 1000).map(fold).filter(Boolean)
  let cursor = typeof state.cursor === 'number' ? state.cursor : undefined
  let failures = 0
  while (!ctx.signal.aborted) {
    const url = new URL(config.jetstreamUrl ?? DEFAULT_JETSTREAM)
    url.searchParams.set('wantedCollections', 'app.bsky.feed.post')
    if (cursor) url.searchParams.set('cursor', String(cursor - REWIND_US))
    let received = 0
    let lastError: string | undefined
    let buffer: CollectedItem[] = []
    let persistedCursor = cursor
    let lastPersist = Date.now()
    // one flush at a time; what arrives while it stores is taken by its next round
    let flushing: Promise<void> | null = null
    let ws: WebSocket | undefined
    let paused = false

    const due = () =>
      buffer.length > 0 ||
      (cursor !== persistedCursor && Date.now() - lastPersist >= CURSOR_PERSIST_MS)
    const flush = (): Promise<void> => {
      if (flushing) return flushing
      // (checked first: a body that never awaits would clear `flushing` before it is set)
      if (!due()) return Promise.resolve()
      flushing = (async () => {
        try {
          while (due()) {
            const items = buffer
            buffer = []
            const at = cursor
            await emit({ items, state: { ...state, cursor: at } })
            persistedCursor = at
            lastPersist = Date.now()
            if (paused && buffer.length < RESUME_BELOW) {
              paused = false
              ws?.resume()
            }
          }
        } catch (err) {
          // Could not store: drop the connection and resume from the last persisted cursor.
          ctx.log(`${ID}: emit failed, reconnecting`, { error: String(err) })
          buffer = []
          cursor = persistedCursor
          ws?.terminate()
        } finally {
          flushing = null
        }
      })()
      return flushing
    }

    await new Promise<void>((resolve) => {
      ws = new WebSocket(url, { headers: { 'user-agent': DEFAULT_USER_AGENT } })
      const socket = ws
      const onAbort = () => socket.close(1000)
      ctx.signal.addEventListener('abort', onAbort, { once: true })
      socket.on('open', () => ctx.log(`${ID}: connected to Jetstream`, { url: url.toString() }))
      socket.on('message', (raw) => {
        // one garbled or strange frame is skipped: not worth a reconnect, never worth a crash
        const ev = parseJetstreamEvent(raw.toString())
        if (!ev) return
        received++
        cursor = ev.time_us
        const item = matchJetstreamEvent(ev, needles)
        if (item) buffer.push(item)
        // Backpressure: while storing lags behind a flood of matching posts, stop reading (TCP
        // slows Jetstream down; if it gives up on us, the reconnect resumes from the cursor).
        if (!paused && buffer.length >= PAUSE_AT) {
          paused = true
          socket.pause()
        }
        void flush()
      })
      socket.on('error', (err) => {
        lastError = err.message
        ctx.log(`${ID}: Jetstream error`, { error: err.message })
      })
      socket.on('close', () => {
        ctx.signal.removeEventListener('abort', onAbort)
        resolve()
      })
    })
    await flush()
    if (ctx.signal.aborted) break
    failures = received > 0 ? 0 : failures + 1
    // refused, 401, closed at once: the team must see it on the source, not in a debug log
    if (!received)
      ctx.trouble?.(
        new CollectorError(
          'unreachable',
          `${ID}: Jetstream ${url.host}: ${lastError ?? 'the connection ended before any event'}`,
        ),
      )
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** failures)
    ctx.log(`${ID}: Jetstream disconnected, reconnecting`, { delayMs: delay, cursor })
    await sleep(delay, ctx.signal)
  }
}

export default defineCollector({
  id: ID,
  label: 'Bluesky',
  description: {
    en: 'Bluesky posts mentioning your brands: search with an account, or the live Jetstream firehose without one.',
    fr: 'Messages Bluesky citant vos marques : recherche avec un compte, ou le flux Jetstream en direct sans compte.',
  },
  schema,
  fields: [
    {
      name: 'mode',
      type: 'select',
      label: { en: 'Access', fr: 'Accès' },
      options: [
        {
          value: 'search',
          label: { en: 'Search (account needed)', fr: 'Recherche (compte requis)' },
        },
        {
          value: 'jetstream',
          label: {
            en: 'Live firehose (Jetstream, no account)',
            fr: 'Flux en direct (Jetstream, sans compte)',
          },
        },
      ],
      help: {
        en: 'Search is no longer public: it needs a handle and an app password, and finds past posts. Jetstream streams every new post of the network (tens per second) and keeps those naming a brand term; it misses what was posted while Vigie was down for more than a day.',
        fr: 'La recherche n’est plus publique : il faut un identifiant et un mot de passe d’application ; elle retrouve les anciens messages. Jetstream diffuse chaque nouveau message du réseau (des dizaines par seconde) et garde ceux qui citent un terme de marque ; il perd ce qui a été publié pendant un arrêt de Vigie de plus d’un jour.',
      },
    },
    {
      name: 'handle',
      type: 'text',
      label: { en: 'Account handle', fr: 'Identifiant du compte' },
      placeholder: 'vigie.bsky.social',
    },
    {
      name: 'appPassword',
      type: 'secret',
      label: { en: 'App password', fr: 'Mot de passe d’application' },
      help: {
        en: 'Settings → Privacy and security → App passwords. Never your main password.',
        fr: 'Réglages → Confidentialité et sécurité → Mots de passe d’application. Jamais le mot de passe principal.',
      },
    },
    {
      name: 'lang',
      type: 'text',
      label: { en: 'Language (search)', fr: 'Langue (recherche)' },
      placeholder: 'fr',
    },
    {
      name: 'service',
      type: 'url',
      label: { en: 'Account server (optional)', fr: 'Serveur du compte (facultatif)' },
      placeholder: 'https://bsky.social',
    },
    {
      name: 'jetstreamUrl',
      type: 'text',
      label: { en: 'Jetstream endpoint (optional)', fr: 'Adresse Jetstream (facultatif)' },
      placeholder: DEFAULT_JETSTREAM,
    },
  ],
  defaultInterval: 10 * 60,
  usesBrandQuery: true,
  streams: (config) => config.mode === 'jetstream',
  async collect(ctx, config, state) {
    if (config.mode === 'jetstream')
      throw new CollectorError(
        'config',
        `${ID}: the Jetstream mode is a live stream, started with listen(), not polled`,
      )
    return collectSearch(ctx, config, state)
  },
  async listen(ctx, config, state, emit) {
    if (config.mode !== 'jetstream')
      throw new CollectorError('config', `${ID}: only the Jetstream mode streams; search is polled`)
    await listenJetstream(ctx, config, state, emit)
  },
})
