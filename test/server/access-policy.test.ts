// The route × role matrix over every route the app registers (so routes added later are covered
// automatically), the policy table itself, API tokens and CSRF.
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import { allows, requirementFor, type Requirement } from '../../server/auth/policy'
import type { Role } from '../../server/context'
import { Poller } from '../../server/poller'
import { setUserDisabled } from '../../db/users'
import { revokeApiToken } from '../../db/tokens'
import { bearer, signIn } from '../helpers/auth'
import { freshDb, testContext, type TestDb } from '../helpers/db'

const now = new Date('2026-11-22T12:00:00Z')
const ORIGIN = 'http://localhost'
let tdb: TestDb
let app: ReturnType<typeof createApp>

beforeAll(async () => {
  tdb = await freshDb()
  const ctx = testContext(tdb, { now: () => now })
  app = createApp(ctx, new Poller(ctx))
  // One account stays: the matrix creates and disables others without orphaning Vigie.
  await signIn(tdb.db, 'admin', now)
})
afterAll(() => tdb.cleanup())

/** A concrete path for a route pattern: ids that exist nowhere, the first listed alternative. */
function concrete(pattern: string): string {
  return pattern
    .replace(/:(\w+)\{([^}]+)\}/g, (_, _name, re: string) =>
      /^[a-z0-9-]+(\|[a-z0-9-]+)+$/i.test(re) ? re.split('|')[0] : '999999',
    )
    .replace(/:(\w+)/g, '999999')
    .replace(/\/\*$/, '/x')
}

function registered(): { method: string; path: string }[] {
  const seen = new Set<string>()
  const out: { method: string; path: string }[] = []
  for (const r of app.routes) {
    if (r.method === 'ALL') continue // middleware
    const key = `${r.method} ${r.path}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push({ method: r.method, path: concrete(r.path) })
  }
  return out
}

const ROLES: (Role | null)[] = [null, 'viewer', 'responder', 'admin']

describe('route × role matrix', () => {
  it('covers every registered route for every role', async () => {
    const routes = registered()
    expect(routes.length).toBeGreaterThan(20)
    const failures: string[] = []
    for (const { method, path } of routes) {
      const need: Requirement = requirementFor(method, path).need
      for (const role of ROLES) {
        // A fresh person per request: routes like /signout or /users/:id/disable change state.
        const headers: Record<string, string> = { origin: ORIGIN }
        const rule = requirementFor(method, path)
        if (role && rule.tokenOnly) {
          const who = await signIn(tdb.db, role, now)
          Object.assign(headers, await bearer(tdb.db, who.user.id, 'ingest', now))
        } else if (role) headers.cookie = (await signIn(tdb.db, role, now)).cookie
        if (method !== 'GET' && method !== 'HEAD')
          headers['content-type'] = 'application/x-www-form-urlencoded'
        const res = await app.request(path, {
          method,
          headers,
          body: method === 'GET' || method === 'HEAD' ? undefined : '',
        })
        const loc = res.headers.get('location') ?? ''
        const refused =
          res.status === 401 ||
          res.status === 403 ||
          ((res.status === 302 || res.status === 303) && loc.startsWith('/signin'))
        const expectAllowed = allows(need, role)
        if (
          expectAllowed &&
          refused &&
          !(path.startsWith('/signout') || path.startsWith('/signin'))
        )
          failures.push(
            `${method} ${path} as ${role ?? 'anonymous'}: refused (${res.status}) but policy says ${need}`,
          )
        if (!expectAllowed && !refused)
          failures.push(
            `${method} ${path} as ${role ?? 'anonymous'}: ${res.status}, expected refusal (${need})`,
          )
        if (!expectAllowed && path.startsWith('/api/'))
          expect(res.headers.get('content-type')).toMatch(/json/)
      }
    }
    expect(failures).toEqual([])
  })
})

describe('docs/privacy.md', () => {
  it('lists every registered route, and only those, with the role the policy gives it', () => {
    const doc = readFileSync(new URL('../../docs/privacy.md', import.meta.url), 'utf8')
    const documented = [...doc.matchAll(/^\| `([A-Z]+ \/[^`]*)` +\| ([^|]+?) +\|$/gm)].map(
      (m) => `${m[1]} → ${m[2]}`,
    )
    const actual = new Set<string>()
    for (const r of app.routes) {
      if (r.method === 'ALL') continue
      const rule = requirementFor(r.method, concrete(r.path))
      // the table writes /users/:id, not /users/:id{[0-9]+}
      const path = r.path.replace(/(:\w+)\{[^}]+\}/g, '$1')
      actual.add(`${r.method} ${path} → ${rule.need}${rule.tokenOnly ? ' (API token only)' : ''}`)
    }
    expect([...actual].filter((r) => !documented.includes(r))).toEqual([])
    expect(documented.filter((r) => !actual.has(r))).toEqual([])
  })
})

describe('policy table', () => {
  const cases: [string, string, Requirement][] = [
    ['GET', '/healthz', 'public'],
    ['GET', '/static/htmx.min.js', 'public'],
    ['GET', '/signin', 'public'],
    ['POST', '/signin', 'public'],
    ['GET', '/setup/abc', 'public'],
    ['POST', '/lang', 'public'],
    ['GET', '/', 'viewer'],
    ['GET', '/mentions', 'viewer'],
    ['GET', '/api/mentions', 'viewer'],
    ['GET', '/brands', 'viewer'],
    ['GET', '/brands/new', 'admin'],
    ['GET', '/sources/3/edit', 'admin'],
    ['GET', '/channels/new', 'admin'],
    ['POST', '/mentions/12/status', 'responder'],
    ['POST', '/mentions/12/answer', 'responder'],
    ['POST', '/mentions/12/triage', 'responder'],
    ['POST', '/mentions/12/mute', 'responder'],
    ['POST', '/mentions/bulk', 'responder'],
    ['POST', '/alerts/3/resolve', 'responder'],
    ['POST', '/alerts/sensitivity', 'admin'],
    ['GET', '/settings/channels/new', 'admin'],
    ['GET', '/settings/channels', 'admin'],
    ['GET', '/settings/digest/preview', 'admin'],
    ['POST', '/settings/channels/2/test', 'admin'],
    ['GET', '/digest/unsubscribe/abc', 'public'],
    ['POST', '/digest/unsubscribe/abc', 'public'],
    ['POST', '/brands/preview', 'admin'],
    ['POST', '/answers/3/approve', 'responder'],
    ['POST', '/alerts/4/acknowledge', 'responder'],
    ['POST', '/alerts/4/ack', 'responder'],
    ['POST', '/brands', 'admin'],
    ['POST', '/sources/3/delete', 'admin'],
    ['POST', '/channels', 'admin'],
    ['POST', '/settings/exclusions', 'admin'],
    ['POST', '/settings/retention', 'admin'],
    ['GET', '/settings/privacy', 'admin'],
    ['GET', '/users', 'admin'],
    ['GET', '/audit', 'admin'],
    ['GET', '/api/export', 'admin'],
    ['POST', '/something-new', 'admin'],
    ['DELETE', '/mentions/3', 'admin'],
    ['GET', '/account', 'signed-in'],
    ['POST', '/account/tokens', 'signed-in'],
  ]
  it.each(cases)('%s %s needs %s', (method, path, need) => {
    expect(requirementFor(method, path).need).toBe(need)
  })
})

describe('signed out', () => {
  it('answers the API with 401 JSON, sends pages to sign-in, keeps health public', async () => {
    const api = await app.request('/api/mentions')
    expect(api.status).toBe(401)
    expect(await api.json()).toEqual({ error: 'authentication required' })
    expect(api.headers.get('www-authenticate')).toMatch(/Bearer/)
    const page = await app.request('/mentions?sentiment=negative')
    expect(page.status).toBe(302)
    expect(page.headers.get('location')).toBe(
      `/signin?next=${encodeURIComponent('/mentions?sentiment=negative')}`,
    )
    const hx = await app.request('/mentions', { headers: { 'HX-Request': 'true' } })
    expect(hx.status).toBe(401)
    expect(hx.headers.get('HX-Redirect')).toMatch(/^\/signin/)
    expect((await app.request('/healthz')).status).toBe(200)
    expect((await app.request('/static/app.css')).status).toBe(200)
    // the tab icon is public too, and linked, so no browser asks for a missing /favicon.ico
    const icon = await app.request('/static/favicon.svg')
    expect(icon.status).toBe(200)
    expect(icon.headers.get('content-type')).toBe('image/svg+xml')
    expect(await (await app.request('/signin')).text()).toContain(
      '<link rel="icon" href="/static/favicon.svg"',
    )
    const post = await app.request('/brands', {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=X&query=X',
    })
    expect(post.status).toBe(303)
    expect(post.headers.get('location')).toBe('/signin')
    expect(await tdb.db.selectFrom('brands').selectAll().execute()).toHaveLength(0)
  })

  it('refuses an unknown or forged session cookie', async () => {
    const res = await app.request('/', { headers: { cookie: 'vigie_session=forged' } })
    expect(res.status).toBe(302)
  })
})

describe('API tokens', () => {
  it('a read token reads the API, cannot write, cannot open pages; revoked or disabled stops it', async () => {
    const viewer = await signIn(tdb.db, 'admin', now)
    const read = await bearer(tdb.db, viewer.user.id, 'read', now)
    expect((await app.request('/api/mentions', { headers: read })).status).toBe(200)
    const write = await app.request('/brands', {
      method: 'POST',
      headers: { ...read, 'content-type': 'application/json' },
      body: '{}',
    })
    expect(write.status).toBe(403)
    expect((await app.request('/brands', { headers: read })).status).toBe(403)
    const row = await tdb.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('user_id', '=', viewer.user.id)
      .executeTakeFirstOrThrow()
    expect(row.last_used_at).toBe(now.toISOString())
    expect(row.token_hash).not.toContain(read.authorization.slice(7))
    await revokeApiToken(tdb.db, row.id, viewer.user.id, now)
    expect((await app.request('/api/mentions', { headers: read })).status).toBe(401)

    const other = await bearer(tdb.db, viewer.user.id, 'read', now)
    await setUserDisabled(tdb.db, viewer.user.id, true, now)
    expect((await app.request('/api/mentions', { headers: other })).status).toBe(401)
    expect((await app.request('/', { headers: { cookie: viewer.cookie } })).status).toBe(302)
    // a token Vigie never issued is not worth a record; the others are, once an hour each
    const forged = { authorization: 'Bearer vgt_forged' }
    expect((await app.request('/api/mentions', { headers: forged })).status).toBe(401)
    expect((await app.request('/api/mentions', { headers: read })).status).toBe(401)
    const refused = await tdb.db
      .selectFrom('audit_log')
      .select(['actor', 'outcome', 'path', 'detail'])
      .where('action', '=', 'tokens.refused')
      .orderBy('id')
      .execute()
    expect(refused.map((r) => [r.actor, r.outcome, r.path, JSON.parse(r.detail).reason])).toEqual([
      [viewer.user.email, 'denied', '/brands', 'scope'],
      [viewer.user.email, 'denied', '/api/mentions', 'revoked'],
      // disabling the account revoked its tokens too
      [viewer.user.email, 'denied', '/api/mentions', 'revoked'],
    ])
  })
})

describe('CSRF', () => {
  it('refuses a signed-in cross-site form post, and one without Origin from a browser form', async () => {
    const admin = await signIn(tdb.db, 'admin', now)
    for (const origin of ['https://evil.example', 'null']) {
      const res = await app.request('/brands', {
        method: 'POST',
        headers: {
          cookie: admin.cookie,
          origin,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: 'name=Evil&query=x',
      })
      expect(res.status).toBe(403)
    }
    const ok = await app.request('/brands', {
      method: 'POST',
      headers: {
        cookie: admin.cookie,
        origin: ORIGIN,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'name=Fine&query=Fine',
    })
    expect(ok.status).toBe(303)
    const audit = await tdb.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'brands.create')
      .execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({
      actor: admin.user.email,
      outcome: 'ok',
      method: 'POST',
      path: '/brands',
    })
  })

  it('answers a script sending a text body to the API in JSON, saying what to change', async () => {
    const { user } = await signIn(tdb.db, 'responder', now)
    const res = await app.request('/api/ingest', {
      method: 'POST',
      headers: { ...(await bearer(tdb.db, user.id, 'ingest', now)), 'content-type': 'text/plain' },
      body: '{"items":[{"text":"Acme"}]}',
    })
    expect(res.status).toBe(403)
    expect(await res.json()).toEqual({
      error: 'refused by the CSRF check: send the body as JSON (Content-Type: application/json)',
    })
  })
})
