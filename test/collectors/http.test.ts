import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CollectorError, createHttpClient, parseRetryAfter } from '../../collectors/http'
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server'

let server: FixtureServer
const now = () => new Date('2026-11-22T12:00:00Z')

beforeAll(async () => {
  server = await startFixtureServer({
    '/ok': {
      body: 'hello',
      headers: { etag: '"v1"', 'last-modified': 'Sat, 21 Nov 2026 10:00:00 GMT' },
    },
    '/conditional': (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') res.writeHead(304).end()
      else res.writeHead(200, { etag: '"v1"' }).end('fresh')
    },
    '/429': { status: 429, headers: { 'retry-after': '120' } },
    '/429-forever': { status: 429, headers: { 'retry-after': '99999999' } },
    '/503-date': { status: 503, headers: { 'retry-after': 'Sun, 22 Nov 2026 12:05:00 GMT' } },
    '/500': { status: 500, body: 'boom' },
    '/401': { status: 401 },
    '/403': { status: 403 },
    '/404': { status: 404 },
    '/410': { status: 410 },
    '/slow': { delayMs: 1500, body: 'late' },
    '/big-declared': (_req, res) => {
      res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) })
      res.write(Buffer.alloc(1024))
      setTimeout(() => res.destroy(), 1000)
    },
    '/big-chunked': async (_req, res) => {
      // 50 MB streamed without a length: the client must stop reading at its cap.
      res.writeHead(200, { 'content-type': 'application/xml' })
      const chunk = Buffer.alloc(1024 * 1024, 'a')
      for (let i = 0; i < 50 && !res.destroyed; i++) {
        if (!res.write(chunk)) await new Promise((r) => res.once('drain', r))
      }
      res.end()
    },
    '/moved': { status: 302, headers: { location: '/ok' } },
    '/json': { body: '{"a":1}', headers: { 'content-type': 'application/json' } },
    '/bad-json': { body: '{"a":', headers: { 'content-type': 'application/json' } },
  })
})
afterAll(() => server.close())

describe('http client', () => {
  const http = createHttpClient({ now, timeoutMs: 500, maxBytes: 2 * 1024 * 1024 })

  it('sends a User-Agent and returns validators', async () => {
    const r = await http.request({ url: `${server.url}/ok` })
    expect(r.body).toBe('hello')
    expect(r.etag).toBe('"v1"')
    expect(r.lastModified).toBe('Sat, 21 Nov 2026 10:00:00 GMT')
    expect(server.requests.at(-1)!.headers['user-agent']).toMatch(/^Vigie\//)
  })

  it('does a conditional GET and reports 304 as not modified', async () => {
    const r = await http.request({ url: `${server.url}/conditional`, etag: '"v1"' })
    expect(r.notModified).toBe(true)
    expect(r.etag).toBe('"v1"')
    expect(server.requests.at(-1)!.headers['if-none-match']).toBe('"v1"')
  })

  const statuses: [string, string, number | undefined][] = [
    ['/429', 'rate_limited', 120_000],
    ['/503-date', 'server', 300_000],
    ['/500', 'server', undefined],
    ['/401', 'auth', undefined],
    ['/403', 'blocked', undefined],
    ['/404', 'not_found', undefined],
    ['/410', 'gone', undefined],
  ]
  it.each(statuses)('classifies %s as %s', async (path, code, retryAfterMs) => {
    const err = await http.request({ url: server.url + path }).catch((e) => e)
    expect(err).toBeInstanceOf(CollectorError)
    expect(err.code).toBe(code)
    expect(err.retryAfterMs).toBe(retryAfterMs)
  })

  it('a 403 with credentials is an auth problem, not an IP block', async () => {
    const err = await http
      .request({ url: `${server.url}/403`, headers: { authorization: 'Bearer x' } })
      .catch((e) => e)
    expect(err.code).toBe('auth')
  })

  it('times out a slow server', async () => {
    const err = await http.request({ url: `${server.url}/slow` }).catch((e) => e)
    expect(err.code).toBe('timeout')
  })

  it('follows a redirect, unless asked to return it as it is (webhooks)', async () => {
    expect((await http.request({ url: `${server.url}/moved` })).body).toBe('hello')
    const before = server.requests.length
    const r = await http.request({
      url: `${server.url}/moved`,
      method: 'POST',
      body: '{}',
      followRedirects: false,
    })
    expect(r).toMatchObject({ status: 302, body: '', notModified: false })
    expect(r.headers.get('location')).toBe('/ok')
    expect(server.requests.slice(before).map((q) => `${q.method} ${q.url}`)).toEqual([
      'POST /moved',
    ])
  })

  it('believes a Retry-After for a day at most', async () => {
    const err = await http.request({ url: `${server.url}/429-forever` }).catch((e) => e)
    expect(err).toBeInstanceOf(CollectorError)
    expect(err).toMatchObject({ code: 'rate_limited', retryAfterMs: 24 * 3600_000 })
  })

  it('refuses a body whose declared length is over the cap', async () => {
    const err = await http.request({ url: `${server.url}/big-declared` }).catch((e) => e)
    expect(err.code).toBe('too_large')
  })

  it('stops reading a 50 MB streamed body at the cap', async () => {
    const err = await http
      .request({ url: `${server.url}/big-chunked`, timeoutMs: 5000 })
      .catch((e) => e)
    expect(err.code).toBe('too_large')
  })

  it('with truncateBody, keeps the first maxBytes of a big body instead of failing', async () => {
    const streamed = await http.request({
      url: `${server.url}/big-chunked`,
      maxBytes: 1000,
      truncateBody: true,
    })
    expect(streamed).toMatchObject({ status: 200, truncated: true })
    expect(streamed.body).toBe('a'.repeat(1000))
    const declared = await http.request({
      url: `${server.url}/big-declared`,
      maxBytes: 512,
      truncateBody: true,
    })
    expect(declared).toMatchObject({ status: 200, truncated: true })
    expect(declared.body).toHaveLength(512)
    expect((await http.request({ url: `${server.url}/ok`, truncateBody: true })).truncated).toBe(
      undefined,
    )
  })

  it('reports an unreachable host', async () => {
    const err = await http.request({ url: 'http://127.0.0.1:9/nothing' }).catch((e) => e)
    expect(err.code).toBe('unreachable')
  })

  it('parses JSON and classifies invalid JSON', async () => {
    expect((await http.json({ url: `${server.url}/json` })).data).toEqual({ a: 1 })
    const err = await http.json({ url: `${server.url}/bad-json` }).catch((e) => e)
    expect(err.code).toBe('malformed')
  })

  it('runs the URL guard before connecting', async () => {
    const guarded = createHttpClient({
      checkUrl: (u) => {
        throw new CollectorError('forbidden_address', `refused ${u}`)
      },
    })
    const before = server.requests.length
    const err = await guarded.request({ url: `${server.url}/ok` }).catch((e) => e)
    expect(err.code).toBe('forbidden_address')
    expect(server.requests.length).toBe(before)
  })
})

describe('parseRetryAfter', () => {
  const cases: [string | null, number | undefined][] = [
    ['30', 30_000],
    ['Sun, 22 Nov 2026 12:01:00 GMT', 60_000],
    ['Sun, 22 Nov 2026 11:00:00 GMT', 0],
    ['99999999', 24 * 3600_000], // not believed past a day
    ['Fri, 01 Jan 2100 00:00:00 GMT', 24 * 3600_000],
    ['soon', undefined],
    [null, undefined],
  ]
  it.each(cases)('%s → %s', (v, ms) => expect(parseRetryAfter(v, now())).toBe(ms))
})
