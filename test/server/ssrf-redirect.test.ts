// The SSRF guard wired into the real HTTP client against a real local server: a public-looking
// name is allowed, a redirect to a private address is refused BEFORE it is requested, and a name
// that resolves to a public address for the check but to loopback when connecting (DNS
// rebinding) never reaches the server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpClient, CollectorError } from '../../collectors/http'
import { guardedFetch, urlGuard } from '../../server/ssrf'
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server'

let server: FixtureServer
beforeAll(async () => {
  server = await startFixtureServer({
    '/feed': { body: 'ok' },
    '/to-loopback': { status: 302, headers: { location: `/secret` } },
    '/to-internal': { status: 301, headers: { location: 'http://internal.test/x' } },
    '/to-public': { status: 302, headers: { location: 'http://feed.test/feed' } },
    '/secret': { body: 'secret' },
  })
})
afterAll(() => server.close())

// "feed.test" resolves to a public address for the guard; the fetch below actually dials the
// local fixture server, so the test never leaves the machine.
const lookup = async (host: string) =>
  host === 'feed.test' ? ['93.184.216.34'] : host === 'internal.test' ? ['10.0.0.8'] : []

function client() {
  const port = new URL(server.url).port
  const localFetch: typeof fetch = (input, init) => {
    const u = new URL(String(input))
    if (u.hostname === 'feed.test') {
      u.hostname = '127.0.0.1'
      u.port = port
    }
    return fetch(u, init)
  }
  return createHttpClient({ fetch: localFetch, checkUrl: urlGuard(false, lookup), timeoutMs: 2000 })
}

describe('SSRF guard in the HTTP client', () => {
  it('allows a public name and a redirect to another public URL', async () => {
    expect((await client().request({ url: 'http://feed.test/feed' })).body).toBe('ok')
    expect((await client().request({ url: 'http://feed.test/to-public' })).body).toBe('ok')
  })

  it('refuses a redirect to loopback and to a name resolving to a private address', async () => {
    // Relative redirect from feed.test stays on feed.test (public): make it absolute to loopback.
    server.route('/to-loopback', { status: 302, headers: { location: `${server.url}/secret` } })
    const before = server.requests.length
    for (const path of ['/to-loopback', '/to-internal']) {
      const err = await client()
        .request({ url: `http://feed.test${path}` })
        .catch((e) => e)
      expect(err).toBeInstanceOf(CollectorError)
      expect(err.code).toBe('forbidden_address')
    }
    const paths = server.requests.slice(before).map((r) => r.url)
    expect(paths).toEqual(['/to-loopback', '/to-internal'])
    expect(paths).not.toContain('/secret')
  })

  it('with redirects not followed, a redirect to loopback is returned, never requested', async () => {
    server.route('/to-loopback', { status: 302, headers: { location: `${server.url}/secret` } })
    const before = server.requests.length
    const r = await client().request({
      url: 'http://feed.test/to-loopback',
      followRedirects: false,
    })
    expect(r.status).toBe(302)
    expect(server.requests.slice(before).map((q) => q.url)).toEqual(['/to-loopback'])
  })

  it('refuses a private literal address up front', async () => {
    const err = await client()
      .request({ url: `${server.url}/feed` })
      .catch((e) => e)
    expect(err.code).toBe('forbidden_address')
  })

  it('refuses a name that rebinds to loopback between the check and the connection', async () => {
    const port = new URL(server.url).port
    let calls = 0
    // first answer (the URL check): public; every later one (the socket's): loopback
    const rebinding = async () => (calls++ === 0 ? ['93.184.216.34'] : ['127.0.0.1'])
    const http = createHttpClient({
      fetch: guardedFetch(rebinding),
      checkUrl: urlGuard(false, rebinding),
      timeoutMs: 2000,
    })
    const before = server.requests.length
    const err = await http.request({ url: `http://rebind.test:${port}/secret` }).catch((e) => e)
    expect(err).toBeInstanceOf(CollectorError)
    expect(err.code).toBe('forbidden_address')
    expect(err.message).toMatch(/127\.0\.0\.1 when connecting/)
    expect(calls).toBe(2)
    expect(server.requests.length).toBe(before)
  })

  it('connects through the guarded fetch to an allowed address, and refuses loopback', async () => {
    const port = new URL(server.url).port
    const allowAll = createHttpClient({
      fetch: guardedFetch(
        async () => ['127.0.0.1'],
        () => false,
      ),
      timeoutMs: 2000,
    })
    expect((await allowAll.request({ url: `http://plain.test:${port}/feed` })).body).toBe('ok')
    const guarded = createHttpClient({
      fetch: guardedFetch(async () => ['127.0.0.1']),
      timeoutMs: 2000,
    })
    const err = await guarded.request({ url: `http://plain.test:${port}/feed` }).catch((e) => e)
    expect(err.code).toBe('forbidden_address')
  })
})
