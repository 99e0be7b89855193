import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { WebSocketServer, type WebSocket } from 'ws'
import bluesky, { PAUSE_AT } from '../../collectors/bluesky'
import type { CollectedItem, CollectResult } from '../../collectors/types'
import type { CollectorError } from '../../collectors/http'
import { fixture, startFixtureServer, type FixtureServer } from '../helpers/fixture-server'
import { makeCtx, query } from '../helpers/collect'

let srv: FixtureServer
beforeEach(async () => {
  srv = await startFixtureServer()
})
afterEach(() => srv.close())

const JSON_H = { 'content-type': 'application/json; charset=utf-8' }
const one = () =>
  makeCtx({ brands: [{ name: 'Acme', query: '"Acme Cloud"', terms: ['Acme Cloud'] }] })
const search = (over = {}) =>
  bluesky.schema.parse({
    handle: 'vigie.bsky.social',
    appPassword: 'abcd-efgh-ijkl-mnop',
    service: srv.url,
    ...over,
  })

describe('bluesky collector (search)', () => {
  it('logs in once, searches the latest posts per term and maps them', async () => {
    srv.route('/xrpc/com.atproto.server.createSession', {
      headers: JSON_H,
      body: await fixture('bluesky/create-session.json'),
    })
    srv.route('/xrpc/app.bsky.feed.searchPosts', {
      headers: JSON_H,
      body: await fixture('bluesky/search-posts.json'),
    })
    const res = await bluesky.collect(one(), search({ lang: 'fr' }), {})
    const [login, q] = srv.requests
    expect(JSON.parse(login.body)).toEqual({
      identifier: 'vigie.bsky.social',
      password: 'abcd-efgh-ijkl-mnop',
    })
    expect(q.headers.authorization).toBe(
      'Bearer eyJ0eXAiOiJhdCtqd3QiLCJhbGciOiJFUzI1NksifQ.access-1',
    )
    expect(query(q.url)).toEqual({
      q: '"Acme Cloud"',
      sort: 'latest',
      since: '2026-03-09T12:00:00.000Z',
      lang: 'fr',
      limit: '100',
    })
    expect(res.items[0]).toEqual({
      externalId: 'at://did:plc:4xk2m7q9r1s3t5v7w9y1z3b5/app.bsky.feed.post/3lk7qzx2abc2p',
      url: 'https://bsky.app/profile/lea-devops.bsky.social/post/3lk7qzx2abc2p',
      title: '',
      text: "Bon, la panne d'Acme Cloud hier m'a coûté ma soirée. Le support a répondu en 4 h.",
      author: 'lea-devops.bsky.social',
      publishedAt: '2026-03-10T11:20:31.512Z',
      lang: 'fr',
      metrics: { likes: 17, reposts: 1, replies: 3, quotes: 0 },
    })
    expect(res.items).toHaveLength(2)
    expect(res.state).toEqual({
      session: {
        accessJwt: 'eyJ0eXAiOiJhdCtqd3QiLCJhbGciOiJFUzI1NksifQ.access-1',
        refreshJwt: 'eyJ0eXAiOiJyZWZyZXNoK2p3dCIsImFsZyI6IkVTMjU2SyJ9.refresh-1',
        did: 'did:plc:vigie7k3q2xw5r4m6n8p0s1t',
        handle: 'vigie.bsky.social',
      },
      since: { 'Acme Cloud': '2026-03-10T11:20:32.001Z' },
    })
  })

  it('reuses the session, sends the watermark and drops what it already returned', async () => {
    srv.route('/xrpc/app.bsky.feed.searchPosts', {
      headers: JSON_H,
      body: await fixture('bluesky/search-posts.json'),
    })
    const state = {
      session: { accessJwt: 'A', refreshJwt: 'R' },
      since: { 'Acme Cloud': '2026-03-10T09:05:01.250Z' },
    }
    const res = await bluesky.collect(one(), search(), state)
    expect(srv.requests).toHaveLength(1)
    expect(query(srv.requests[0].url).since).toBe('2026-03-10T09:05:01.250Z')
    expect(res.items.map((i) => i.author)).toEqual(['lea-devops.bsky.social'])
  })

  it('follows the search cursor while pages are full (bounded to two)', async () => {
    const post = JSON.parse(await fixture('bluesky/search-posts.json')).posts[0]
    srv.route('/xrpc/app.bsky.feed.searchPosts', (req, res) => {
      const cursor = query(req.url!).cursor ?? '0'
      const posts = Array.from({ length: 100 }, (_, i) => ({
        ...post,
        uri: `${post.uri}-${cursor}-${i}`,
      }))
      res
        .writeHead(200, JSON_H)
        .end(JSON.stringify({ posts, cursor: String(Number(cursor) + 100) }))
    })
    const res = await bluesky.collect(one(), search(), {
      session: { accessJwt: 'A', refreshJwt: 'R' },
    })
    expect(srv.requests.map((r) => query(r.url).cursor ?? null)).toEqual([null, '100'])
    expect(res.items).toHaveLength(200)
  })

  it('logs in again when the configured handle changed', async () => {
    srv.route('/xrpc/com.atproto.server.createSession', {
      headers: JSON_H,
      body: await fixture('bluesky/create-session.json'),
    })
    srv.route('/xrpc/app.bsky.feed.searchPosts', { headers: JSON_H, body: '{"posts":[]}' })
    const state = { session: { accessJwt: 'A', refreshJwt: 'R', handle: 'old.bsky.social' } }
    await bluesky.collect(one(), search(), state)
    expect(srv.requests[0].url).toBe('/xrpc/com.atproto.server.createSession')
  })

  it('refreshes an expired access token with the refresh token', async () => {
    srv.route('/xrpc/com.atproto.server.refreshSession', {
      headers: JSON_H,
      body: await fixture('bluesky/refresh-session.json'),
    })
    const expired = await fixture('bluesky/expired.json')
    srv.route('/xrpc/app.bsky.feed.searchPosts', (req, res) => {
      if (req.headers.authorization === 'Bearer A')
        return void res.writeHead(400, JSON_H).end(expired)
      res.writeHead(200, JSON_H).end('{"posts":[]}')
    })
    const res = await bluesky.collect(one(), search(), {
      session: { accessJwt: 'A', refreshJwt: 'R' },
    })
    const refresh = srv.requests.find((r) => r.url.includes('refreshSession'))!
    expect(refresh.headers.authorization).toBe('Bearer R')
    expect(res.state.session).toMatchObject({
      accessJwt: expect.stringMatching(/access-2$/),
      refreshJwt: expect.stringMatching(/refresh-2$/),
    })
  })

  it('logs in again when the refresh token is refused too', async () => {
    srv.route('/xrpc/com.atproto.server.refreshSession', {
      status: 400,
      headers: JSON_H,
      body: await fixture('bluesky/expired.json'),
    })
    srv.route('/xrpc/com.atproto.server.createSession', {
      headers: JSON_H,
      body: await fixture('bluesky/create-session.json'),
    })
    srv.route('/xrpc/app.bsky.feed.searchPosts', (req, res) => {
      if (!req.headers.authorization?.endsWith('access-1'))
        return void res.writeHead(401, JSON_H).end('{"error":"InvalidToken"}')
      res.writeHead(200, JSON_H).end('{"posts":[]}')
    })
    const res = await bluesky.collect(one(), search(), {
      session: { accessJwt: 'A', refreshJwt: 'R' },
    })
    expect(srv.requests.map((r) => r.url.split('?')[0].split('/').pop())).toEqual([
      'app.bsky.feed.searchPosts',
      'com.atproto.server.refreshSession',
      'com.atproto.server.createSession',
      'app.bsky.feed.searchPosts',
    ])
    expect(res.items).toEqual([])
  })

  it('reports a refused app password as auth and a login rate limit with its reset', async () => {
    srv.route('/xrpc/com.atproto.server.createSession', {
      status: 401,
      headers: JSON_H,
      body: await fixture('bluesky/auth-required.json'),
    })
    const err = await bluesky.collect(one(), search(), {}).catch((e) => e)
    expect(err).toMatchObject({ code: 'auth', status: 401 })
    expect(err.message).toBe(
      'bluesky: handle or app password refused (Invalid identifier or password)',
    )
    srv.route('/xrpc/com.atproto.server.createSession', {
      status: 429,
      headers: {
        ...JSON_H,
        'ratelimit-limit': '30',
        'ratelimit-remaining': '0',
        'ratelimit-reset': '1773144300',
      },
      body: '{"error":"RateLimitExceeded","message":"Rate Limit Exceeded"}',
    })
    expect(await bluesky.collect(one(), search(), {}).catch((e) => e)).toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 300_000,
    })
  })

  it('classifies a body without posts as malformed; search needs credentials', async () => {
    srv.route('/xrpc/app.bsky.feed.searchPosts', { headers: JSON_H, body: '{"hitsTotal":0}' })
    expect(
      await bluesky
        .collect(one(), search(), { session: { accessJwt: 'A', refreshJwt: 'R' } })
        .catch((e) => e.code),
    ).toBe('malformed')
    expect(bluesky.schema.safeParse({ mode: 'search' }).success).toBe(false)
    expect(bluesky.streams!(bluesky.schema.parse({ mode: 'jetstream' }))).toBe(true)
    expect(bluesky.streams!(search())).toBe(false)
  })
})

describe('bluesky collector (Jetstream)', () => {
  let wss: WebSocketServer
  let wsUrl: string
  const connections: { url: string; socket: WebSocket }[] = []
  beforeEach(async () => {
    connections.length = 0
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 })
    await new Promise((r) => wss.once('listening', r))
    wsUrl = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/subscribe`
    wss.on('connection', (socket, req) => connections.push({ url: req.url ?? '', socket }))
  })
  afterEach(() => new Promise<void>((r) => wss.close(() => r())))

  it('emits only new posts matching a term (accent/case-insensitive), reconnects and resumes from the cursor', async () => {
    const events = (await fixture('bluesky/jetstream-events.jsonl')).trim().split('\n')
    const batches: CollectResult[] = []
    const controller = new AbortController()
    let second: () => void
    const gotSecond = new Promise<void>((r) => (second = r))
    wss.on('connection', (socket) => {
      if (connections.length === 1) {
        for (const e of events) socket.send(e)
        // Server hangs up after the first burst: the collector must come back with its cursor.
        setTimeout(() => socket.close(1001, 'going away'), 100)
      } else {
        socket.send(
          JSON.stringify({
            did: 'did:plc:jjjj',
            time_us: 1773143005000000,
            kind: 'commit',
            commit: {
              operation: 'create',
              collection: 'app.bsky.feed.post',
              rkey: '3lk7s',
              record: { text: 'acme cloud is down again?', createdAt: 'not a date' },
            },
          }),
        )
      }
    })
    const ctx = { ...one(), signal: controller.signal }
    const done = bluesky.listen!(
      ctx,
      bluesky.schema.parse({ mode: 'jetstream', jetstreamUrl: wsUrl }),
      { cursor: 1773142000000000 },
      async (b) => {
        batches.push(b)
        if (b.items.some((i) => i.author === 'did:plc:jjjj')) second()
      },
    )
    await gotSecond
    controller.abort()
    await done

    expect(
      connections.map((c) => Object.fromEntries(new URL(c.url, 'ws://x').searchParams)),
    ).toEqual([
      { wantedCollections: 'app.bsky.feed.post', cursor: String(1773142000000000 - 2_000_000) },
      { wantedCollections: 'app.bsky.feed.post', cursor: String(1773143000000004 - 2_000_000) },
    ])
    const items = batches.flatMap((b) => b.items)
    expect(items).toEqual([
      {
        externalId: 'at://did:plc:dddd4444eeee5555ffff6666/app.bsky.feed.post/3lk7r2a2b2c2b',
        url: 'https://bsky.app/profile/did:plc:dddd4444eeee5555ffff6666/post/3lk7r2a2b2c2b',
        title: '',
        text: 'Franchement, ACMÉ CLOUD a bien géré la migration 👏',
        author: 'did:plc:dddd4444eeee5555ffff6666',
        publishedAt: '2026-03-10T11:43:20.100Z',
        lang: 'fr',
      },
      {
        externalId: 'at://did:plc:jjjj/app.bsky.feed.post/3lk7s',
        url: 'https://bsky.app/profile/did:plc:jjjj/post/3lk7s',
        title: '',
        text: 'acme cloud is down again?',
        author: 'did:plc:jjjj',
        publishedAt: '2026-03-10T11:43:25.000Z',
        lang: undefined,
      },
    ])
    // The first batch is persisted with the cursor of the newest event processed at that point.
    expect(batches[0].state.cursor).toBeGreaterThanOrEqual(1773143000000002)
    expect(batches.at(-1)!.state).toEqual({ cursor: 1773143005000000 })
  })

  it('under a flood of matching posts, stops reading while storage lags, and loses none', async () => {
    const N = 3 * PAUSE_AT
    const T0 = 1773143000000000
    wss.on('connection', (socket) => {
      for (let i = 0; i < N; i++)
        socket.send(
          JSON.stringify({
            did: 'did:plc:flood',
            time_us: T0 + i,
            kind: 'commit',
            commit: {
              operation: 'create',
              collection: 'app.bsky.feed.post',
              rkey: `r${i}`,
              record: { text: `Acme Cloud ${i}` },
            },
          }),
        )
    })
    const controller = new AbortController()
    const sizes: number[] = []
    const ids = new Set<string>()
    let all!: () => void
    const gotAll = new Promise<void>((r) => (all = r))
    let last: CollectResult | undefined
    const listening = bluesky.listen!(
      { ...one(), signal: controller.signal },
      bluesky.schema.parse({ mode: 'jetstream', jetstreamUrl: wsUrl }),
      {},
      async (b) => {
        // storage much slower than the stream
        await new Promise((r) => setTimeout(r, 30))
        sizes.push(b.items.length)
        for (const i of b.items) ids.add(i.externalId!)
        last = b
        if (ids.size === N) all()
      },
    )
    await gotAll
    controller.abort()
    await listening
    expect(ids.size).toBe(N)
    expect(connections).toHaveLength(1)
    // batched, not one store per post; and never far past the pause mark
    expect(sizes.length).toBeLessThan(N / 50)
    expect(Math.max(...sizes)).toBeLessThan(2 * PAUSE_AT)
    expect(last!.state.cursor).toBe(T0 + N - 1)
  })

  it('stops promptly when aborted while waiting to reconnect', async () => {
    await new Promise<void>((r) => wss.close(() => r())) // nothing listens: every connect fails
    const controller = new AbortController()
    const started = Date.now()
    const done = bluesky.listen!(
      { ...one(), signal: controller.signal },
      bluesky.schema.parse({ mode: 'jetstream', jetstreamUrl: wsUrl }),
      {},
      async () => {},
    )
    setTimeout(() => controller.abort(), 300)
    await done
    expect(Date.now() - started).toBeLessThan(2000)
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 }) // for afterEach
  })

  it('skips hostile frames and keeps listening (one used to crash the process)', async () => {
    const controller = new AbortController()
    const got: CollectedItem[] = []
    let done!: () => void
    const gotGood = new Promise<void>((r) => (done = r))
    wss.on('connection', (socket) => {
      const post = (record: unknown, extra: Record<string, unknown> = {}) =>
        JSON.stringify({
          did: 'did:plc:x',
          time_us: 1773143005000000,
          kind: 'commit',
          commit: { operation: 'create', collection: 'app.bsky.feed.post', rkey: 'r1', record },
          ...extra,
        })
      for (const frame of [
        'null',
        '[]',
        '42',
        '"acme"',
        '{"kind":"commit"}',
        post({ text: ['Acme Cloud'] }),
        post({ text: { toString: 'Acme Cloud' } }),
        post({ text: 'Acme Cloud', langs: 'fr', createdAt: 7 }),
        post({ text: 'Acme Cloud' }, { time_us: 'soon' }),
        post(null),
        '{"did":"d","time_us":1,"kind":"commit","commit":null}',
        post({ text: 'Acme Cloud is fine' }, { did: 'did:plc:good' }),
      ])
        socket.send(frame)
    })
    const listening = bluesky.listen!(
      { ...one(), signal: controller.signal },
      bluesky.schema.parse({ mode: 'jetstream', jetstreamUrl: wsUrl }),
      {},
      async (b) => {
        got.push(...b.items)
        if (b.items.some((i) => i.author === 'did:plc:good')) done()
      },
    )
    await gotGood
    controller.abort()
    await listening
    // the frame with langs/createdAt of the wrong type still counts: its text is a string
    expect(got.map((i) => [i.author, i.text, i.lang])).toEqual([
      ['did:plc:x', 'Acme Cloud', undefined],
      ['did:plc:good', 'Acme Cloud is fine', undefined],
    ])
  })

  it('says why it receives nothing: refused, or turned away', async () => {
    wss.on('connection', (socket) => socket.close(1008, 'policy'))
    const controller = new AbortController()
    const troubles: CollectorError[] = []
    const listening = bluesky.listen!(
      {
        ...one(),
        signal: controller.signal,
        trouble: (e) => {
          troubles.push(e)
          controller.abort()
        },
      },
      bluesky.schema.parse({ mode: 'jetstream', jetstreamUrl: wsUrl }),
      {},
      async () => {},
    )
    await listening
    // an HTTP endpoint that refuses the upgrade
    const http = await startFixtureServer({ '/subscribe': { status: 401, body: 'no' } })
    const second = new AbortController()
    const refused = bluesky.listen!(
      {
        ...one(),
        signal: second.signal,
        trouble: (e) => {
          troubles.push(e)
          second.abort()
        },
      },
      bluesky.schema.parse({
        mode: 'jetstream',
        jetstreamUrl: `${http.url.replace('http', 'ws')}/subscribe`,
      }),
      {},
      async () => {},
    )
    await refused
    await http.close()
    expect(troubles.map((e) => [e.code, e.message])).toEqual([
      [
        'unreachable',
        expect.stringMatching(
          /^bluesky: Jetstream 127\.0\.0\.1:\d+: the connection ended before any event$/,
        ),
      ],
      [
        'unreachable',
        expect.stringMatching(
          /^bluesky: Jetstream 127\.0\.0\.1:\d+: Unexpected server response: 401$/,
        ),
      ],
    ])
  })

  it('refuses to poll the Jetstream mode', async () => {
    const err = await bluesky
      .collect(one(), bluesky.schema.parse({ mode: 'jetstream' }), {})
      .catch((e) => e)
    expect(err.code).toBe('config')
  })
})
