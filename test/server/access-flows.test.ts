// Access flows through app.request() with a pinned clock: setup link, sign-in with throttling,
// TOTP sign-in, sessions and disabling, invitations, four-eyes answers, privacy tools, audit.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../db'
import { insertBrand } from '../../db/brands'
import { loadExclusionMatcher } from '../../db/exclusions'
import { getUserByEmail, setUserDisabled } from '../../db/users'
import { createSetupToken } from '../../db/tokens'
import { insertSource } from '../../db/sources'
import { createApp } from '../../server/app'
import { totpCode } from '../../server/auth/totp'
import { ingest } from '../../server/pipeline'
import { Poller } from '../../server/poller'
import { purgeExpired } from '../../server/retention'
import { bearer, signIn, TEST_PASSWORD } from '../helpers/auth'
import { freshDb, pinnedClock, testContext, type TestDb } from '../helpers/db'
import { ingestOverTime } from '../helpers/history'
import { triageMentions } from '../../db/mentions'
import { frenchSpacing } from '../../views/i18n'

const ORIGIN = 'http://localhost'
let tdb: TestDb
let clock: ReturnType<typeof pinnedClock>
let app: ReturnType<typeof createApp>

beforeEach(async () => {
  tdb = await freshDb()
  clock = pinnedClock('2026-11-22T12:00:00Z')
  const ctx = testContext(tdb, { now: clock.now })
  app = createApp(ctx, new Poller(ctx))
})
afterEach(() => tdb.cleanup())

function post(path: string, body: Record<string, string>, cookie?: string) {
  return app.request(path, {
    method: 'POST',
    headers: {
      origin: ORIGIN,
      'content-type': 'application/x-www-form-urlencoded',
      ...(cookie ? { cookie } : {}),
    },
    body: new URLSearchParams(body).toString(),
  })
}

function sessionCookie(res: Response): string {
  const m = /vigie_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '')
  if (!m) throw new Error('no session cookie')
  return `vigie_session=${m[1]}`
}

async function auditActions() {
  return (await tdb.db.selectFrom('audit_log').selectAll().orderBy('id').execute()).map(
    (e) => `${e.action}:${e.outcome}`,
  )
}

describe('first administrator', () => {
  it('is created once from the setup link; the link then stops working', async () => {
    const token = await createSetupToken(tdb.db, clock.now())
    expect((await app.request(`/setup/${token}`)).status).toBe(200)
    const weak = await post(`/setup/${token}`, {
      email: 'ana@x.example',
      password: 'short',
      confirm: 'short',
    })
    expect(weak.status).toBe(422)
    const res = await post(`/setup/${token}`, {
      email: 'Ana@X.example',
      name: 'Ana',
      password: TEST_PASSWORD,
      confirm: TEST_PASSWORD,
    })
    expect(res.status).toBe(303)
    const cookie = sessionCookie(res)
    expect(res.headers.get('set-cookie')).toMatch(/HttpOnly/i)
    expect(res.headers.get('set-cookie')).toMatch(/SameSite=Lax/i)
    const user = await tdb.db.selectFrom('users').selectAll().executeTakeFirstOrThrow()
    expect(user).toMatchObject({ email: 'ana@x.example', role: 'admin' })
    expect(user.password_hash).toMatch(/^scrypt\$/)
    expect((await app.request('/users', { headers: { cookie } })).status).toBe(200)
    // to the dashboard's first steps, two-step verification first
    expect(res.headers.get('location')).toBe('/')
    const home = await (await app.request('/', { headers: { cookie } })).text()
    expect(home).toMatch(/Protégez votre compte[^]*href="\/account\/2fa"[^]*Déclarer une marque/)
    expect((await app.request(`/setup/${token}`)).status).toBe(410)
    const again = await post(`/setup/${token}`, {
      email: 'eve@x.example',
      password: TEST_PASSWORD,
      confirm: TEST_PASSWORD,
    })
    expect(again.status).toBe(410)
    expect(await tdb.db.selectFrom('users').selectAll().execute()).toHaveLength(1)
    const row = await tdb.db.selectFrom('setup_tokens').selectAll().executeTakeFirstOrThrow()
    expect(row.token_hash).not.toBe(token)
    // The audit log keeps the event, not the link's secret.
    const audit = await tdb.db.selectFrom('audit_log').selectAll().execute()
    expect(audit.map((a) => a.path)).toContain('/setup/…')
    expect(JSON.stringify(audit)).not.toContain(token)
  })

  it('an unused link dies once anyone has an account (npm run user, or another link)', async () => {
    const printed = await createSetupToken(tdb.db, clock.now()) // first start, in the logs
    const later = await createSetupToken(tdb.db, clock.now()) // a restart before anyone set up
    await signIn(tdb.db, 'admin', clock.now()) // `npm run user -- add --admin boss@…`
    for (const token of [printed, later]) {
      expect((await app.request(`/setup/${token}`)).status).toBe(410)
      const res = await post(`/setup/${token}`, {
        email: 'intruder@evil.example',
        password: TEST_PASSWORD,
        confirm: TEST_PASSWORD,
      })
      expect(res.status).toBe(410)
    }
    expect(await tdb.db.selectFrom('users').selectAll().execute()).toHaveLength(1)
  })

  it('expires after 24 hours', async () => {
    const token = await createSetupToken(tdb.db, clock.now())
    clock.advance(24 * 3600_000 + 1000)
    expect((await app.request(`/setup/${token}`)).status).toBe(410)
  })
})

describe('signing in', () => {
  it('accepts the right password, refuses the wrong one and slows down repeated failures', async () => {
    const { user } = await signIn(tdb.db, 'viewer', clock.now(), { password: TEST_PASSWORD })
    const bad = await post('/signin', { email: user.email, password: 'nope nope nope' })
    expect(bad.status).toBe(401)
    expect(await bad.text()).toContain('Adresse ou mot de passe incorrect.')
    await post('/signin', { email: user.email, password: 'nope nope nope' })
    await post('/signin', { email: user.email, password: 'nope nope nope' })
    // Three failures: the next attempt must wait, even with the right password.
    const throttled = await post('/signin', { email: user.email, password: TEST_PASSWORD })
    expect(throttled.status).toBe(429)
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0)
    clock.advance(2000)
    const ok = await post('/signin', {
      email: user.email,
      password: TEST_PASSWORD,
      next: '/mentions',
    })
    expect(ok.status).toBe(303)
    expect(ok.headers.get('location')).toBe('/mentions')
    const cookie = sessionCookie(ok)
    expect((await app.request('/mentions', { headers: { cookie } })).status).toBe(200)
    // the attempt refused unheard is in the audit log too, as throttled
    expect(await auditActions()).toEqual([
      'auth.signin:failed',
      'auth.signin:failed',
      'auth.signin:failed',
      'auth.signin:failed',
      'auth.signin:ok',
    ])
    const rows = await tdb.db.selectFrom('audit_log').selectAll().orderBy('id').execute()
    expect(JSON.parse(rows[3].detail!)).toMatchObject({ reason: 'throttled' })
    expect(rows[3].actor).toBe(user.email)
  })

  it('keeps slowing a guesser down after a restart: the counts are in the database', async () => {
    const { user } = await signIn(tdb.db, 'viewer', clock.now(), { password: TEST_PASSWORD })
    for (let i = 0; i < 3; i++) await post('/signin', { email: user.email, password: 'nope nope' })
    // a new process on the same database file (a restart, or a second machine on Postgres)
    const reopened = await openDatabase({ kind: 'sqlite', path: tdb.path })
    try {
      const ctx = testContext(reopened, { now: clock.now })
      const restarted = createApp(ctx, new Poller(ctx))
      const res = await restarted.request('/signin', {
        method: 'POST',
        headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email: user.email, password: TEST_PASSWORD }).toString(),
      })
      expect(res.status).toBe(429)
      // three failures: one second from the last one, as the first process would have said
      expect(res.headers.get('retry-after')).toBe('1')
    } finally {
      await reopened.close()
    }
  })

  it('behind a trusted proxy, throttles per client address, not per proxy', async () => {
    const ctx = testContext(tdb, { now: clock.now, config: { trustProxy: true } })
    const proxied = createApp(ctx, new Poller(ctx))
    const { user } = await signIn(tdb.db, 'viewer', clock.now(), { password: TEST_PASSWORD })
    const attempt = (email: string, password: string, ip: string) =>
      proxied.request('/signin', {
        method: 'POST',
        headers: {
          origin: ORIGIN,
          'content-type': 'application/x-www-form-urlencoded',
          'x-forwarded-for': `1.1.1.1, ${ip}`,
        },
        body: new URLSearchParams({ email, password }).toString(),
      })
    // ten free failures per address (colleagues behind one office address mistype too)…
    for (let i = 0; i < 10; i++)
      expect((await attempt(`nobody${i}@x.example`, 'wrong', '203.0.113.9')).status).toBe(401)
    // …then a sprayer over many accounts from one address waits
    expect((await attempt('other@x.example', 'wrong', '203.0.113.9')).status).toBe(429)
    // Someone else, through the same proxy, is not slowed down by the attacker.
    expect((await attempt(user.email, TEST_PASSWORD, '198.51.100.4')).status).toBe(303)
  })

  it('refuses a body over 1 MB before reading it, signed in or not', async () => {
    const big = 'x'.repeat(2 * 1024 * 1024)
    const declared = await post('/signin', { email: 'a@x.example', password: big })
    expect(declared.status).toBe(413)
    expect(await declared.text()).toContain('Formulaire trop volumineux (1 Mo au plus).')
    // no Content-Length (chunked): counted as it arrives, and cut off at the limit
    let sent = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(ctrl) {
        if (sent >= 8 * 1024 * 1024) return ctrl.close()
        sent += 64 * 1024
        ctrl.enqueue(new Uint8Array(64 * 1024).fill(120))
      },
    })
    const chunked = await app.request('/signin', {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' },
      body: stream,
      duplex: 'half',
    } as RequestInit)
    expect(chunked.status).toBe(413)
    expect(sent).toBeLessThan(8 * 1024 * 1024)
    expect(await auditActions()).toEqual([]) // never reached the sign-in handler
    // the API answers it in JSON, as its other errors
    const api = await app.request('/api/mentions', {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ x: big }),
    })
    expect(api.status).toBe(413)
    expect(await api.json()).toEqual({ error: 'body over 1 MB' })
  })

  it('never redirects off-site after sign-in', async () => {
    const { user } = await signIn(tdb.db, 'viewer', clock.now(), { password: TEST_PASSWORD })
    const res = await post('/signin', {
      email: user.email,
      password: TEST_PASSWORD,
      next: '//evil.example/x',
    })
    expect(res.headers.get('location')).toBe('/')
  })

  it('asks for the TOTP code when enrolled, and accepts a recovery code once', async () => {
    const { user, cookie } = await signIn(tdb.db, 'responder', clock.now(), {
      password: TEST_PASSWORD,
    })
    // Enrol: the page shows the secret; the code computed from it turns two-factor on.
    const page = await (await app.request('/account/2fa', { headers: { cookie } })).text()
    const secret = /id="totp-secret">([A-Z2-7]+)</.exec(page)![1]
    expect(page).toContain('src="data:image/svg+xml;base64,')
    expect((await post('/account/2fa', { code: '000000' }, cookie)).status).toBe(422)
    const enrolled = await post('/account/2fa', { code: totpCode(secret, clock.now()) }, cookie)
    expect(enrolled.status).toBe(200)
    const codes = [
      ...(await enrolled.text()).matchAll(/<code>([a-z0-9]{4}-[a-z0-9]{4}-[a-z0-9]{4})<\/code>/g),
    ].map((m) => m[1])
    expect(codes).toHaveLength(10)
    const raw = await tdb.db
      .selectFrom('users')
      .select(['totp_secret', 'recovery_codes'])
      .where('id', '=', user.id)
      .executeTakeFirstOrThrow()
    expect(raw.totp_secret).toMatch(/^enc:v1:/) // encrypted at rest, like other secrets
    expect(raw.recovery_codes).not.toContain(codes[0]) // only hashes are kept

    const step1 = await post('/signin', { email: user.email, password: TEST_PASSWORD })
    expect(step1.headers.get('location')).toBe('/signin/2fa')
    const half = sessionCookie(step1)
    // Half signed in is not signed in.
    expect((await app.request('/mentions', { headers: { cookie: half } })).status).toBe(302)
    expect((await post('/signin/2fa', { code: '123456' }, half)).status).toBe(401)
    clock.advance(30_000)
    const step2 = await post('/signin/2fa', { code: totpCode(secret, clock.now()) }, half)
    expect(step2.status).toBe(303)
    const full = sessionCookie(step2)
    expect(full).not.toBe(half)
    expect((await app.request('/mentions', { headers: { cookie: full } })).status).toBe(200)

    // The same code again (same time step) is a replay: refused.
    const replay = sessionCookie(
      await post('/signin', { email: user.email, password: TEST_PASSWORD }),
    )
    const used = totpCode(secret, clock.now())
    const refused = await post('/signin/2fa', { code: used }, replay)
    expect(refused.status).toBe(401)
    expect(await refused.text()).toContain('Ce code vient déjà de servir') // not "wrong code"
    clock.advance(10_000) // past the throttle's delay after that failure
    const again = sessionCookie(
      await post('/signin', { email: user.email, password: TEST_PASSWORD }),
    )
    expect((await post('/signin/2fa', { code: codes[0].toUpperCase() }, again)).status).toBe(303)
    const third = sessionCookie(
      await post('/signin', { email: user.email, password: TEST_PASSWORD }),
    )
    expect((await post('/signin/2fa', { code: codes[0] }, third)).status).toBe(401)
  })

  it('lets an admin make two-factor mandatory: pages redirect to enrolment', async () => {
    const admin = await signIn(tdb.db, 'admin', clock.now())
    const viewer = await signIn(tdb.db, 'viewer', clock.now())
    expect((await post('/users/require-2fa', { on: '1' }, admin.cookie)).status).toBe(303)
    const res = await app.request('/mentions?status=open', { headers: { cookie: viewer.cookie } })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/account/2fa?next=%2Fmentions%3Fstatus%3Dopen')
    const enrol = await app.request(res.headers.get('location')!, {
      headers: { cookie: viewer.cookie },
    })
    expect(enrol.status).toBe(200)
    // it says why every page led here, and leads back there once enrolled
    const page = await enrol.text()
    expect(page).toContain('id="enrol-required"')
    expect(page).toContain('<input type="hidden" name="next" value="/mentions?status=open"/>')
    const secret = /id="totp-secret">([A-Z2-7]+)</.exec(page)![1]
    const done = await post(
      '/account/2fa',
      { code: totpCode(secret, clock.now()), next: '/mentions?status=open' },
      viewer.cookie,
    )
    expect(await done.text()).toContain('class="btn btn-primary" href="/mentions?status=open"')
    expect(
      (await app.request('/mentions?status=open', { headers: { cookie: viewer.cookie } })).status,
    ).toBe(200)
  })

  it('mandatory two-factor: no token can be made or used before enrolment', async () => {
    const admin = await signIn(tdb.db, 'admin', clock.now())
    const victor = await signIn(tdb.db, 'responder', clock.now())
    const older = await bearer(tdb.db, victor.user.id, 'read', clock.now())
    expect((await app.request('/api/mentions', { headers: older })).status).toBe(200)
    expect((await post('/users/require-2fa', { on: '1' }, admin.cookie)).status).toBe(303)
    // a token made before it became mandatory waits for its owner's enrolment
    const refused = await app.request('/api/mentions', { headers: older })
    expect(refused.status).toBe(403)
    expect(await refused.json()).toEqual({ error: 'two-factor enrolment required' })
    // and no new one can be made: the form is gone, a hand-made request goes to enrolment
    const page = await (await app.request('/account', { headers: victor.headers })).text()
    expect(page).not.toContain('action="/account/tokens"')
    expect(page).toContain('activez-la ci-dessus avant de créer un jeton')
    const made = await post('/account/tokens', { name: 'bypass', scope: 'read' }, victor.cookie)
    expect(made.status).toBe(303)
    expect(made.headers.get('location')).toBe('/account/2fa')
    expect(await tdb.db.selectFrom('api_tokens').selectAll().execute()).toHaveLength(1)
  })
})

describe('cookies', () => {
  it('are Secure when BASE_URL is https', async () => {
    const ctx = testContext(tdb, { now: clock.now, config: { baseUrl: 'https://vigie.example' } })
    const https = createApp(ctx, new Poller(ctx))
    const { user } = await signIn(tdb.db, 'viewer', clock.now(), { password: TEST_PASSWORD })
    const res = await https.request('/signin', {
      method: 'POST',
      headers: {
        origin: 'https://vigie.example',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ email: user.email, password: TEST_PASSWORD }).toString(),
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('set-cookie')).toMatch(/;\s*Secure/i)
  })
})

describe('sessions', () => {
  it('expire when idle, and a user revokes their other sessions', async () => {
    const a = await signIn(tdb.db, 'viewer', clock.now())
    clock.advance(13 * 3600_000)
    expect((await app.request('/', { headers: { cookie: a.cookie } })).status).toBe(302)
    const b = await signIn(tdb.db, 'viewer', clock.now(), { email: 'b@x.example' })
    const second = await tdb.db
      .insertInto('sessions')
      .values({
        id: 'other',
        user_id: b.user.id,
        stage: 'full',
        created_at: clock.now().toISOString(),
        last_seen_at: clock.now().toISOString(),
        ip: '1',
        user_agent: 'Mozilla/5.0 (iPhone) Safari/604.1',
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    const page = await (await app.request('/account', { headers: { cookie: b.cookie } })).text()
    expect(page).toContain('Safari · iOS')
    expect((await post('/account/sessions/revoke-others', {}, b.cookie)).status).toBe(303)
    expect(
      await tdb.db.selectFrom('sessions').selectAll().where('id', '=', second.id).execute(),
    ).toHaveLength(0)
    expect((await app.request('/', { headers: { cookie: b.cookie } })).status).toBe(200)
  })

  it('an API token made on the account page is shown once, listed by its scope, then revoked', async () => {
    const me = await signIn(tdb.db, 'responder', clock.now())
    const made = await post('/account/tokens', { name: 'Zapier', scope: 'ingest' }, me.cookie)
    expect(made.headers.get('cache-control')).toBe('no-store')
    const html = await made.text()
    const token = /<code[^>]*id="new-token"[^>]*>([^<]+)</.exec(html)?.[1]
    expect(token).toMatch(/^vigie_/)
    // the table names the scope in the page's language, not by its internal name
    expect(html).toMatch(
      /<td class="name-cell">Zapier <code class="small">vigie_[^<]+…<\/code><\/td><td>Ingestion<\/td>/,
    )
    const page = await (await app.request('/account', { headers: { cookie: me.cookie } })).text()
    expect(page).not.toContain(token)
    const auth = { authorization: `Bearer ${token}` }
    expect((await app.request('/api/mentions', { headers: auth })).status).toBe(200)
    const id = (await tdb.db.selectFrom('api_tokens').select('id').executeTakeFirstOrThrow()).id
    expect((await post(`/account/tokens/${id}/revoke`, {}, me.cookie)).status).toBe(303)
    expect((await app.request('/api/mentions', { headers: auth })).status).toBe(401)
    // a viewer is not offered a token that could never push, nor given one by a forged form
    const viewer = await signIn(tdb.db, 'viewer', clock.now())
    const form = await (
      await app.request('/account', { headers: { cookie: viewer.cookie } })
    ).text()
    expect(form).toContain('<option value="read">')
    expect(form).not.toContain('<option value="ingest">')
    expect(
      (await post('/account/tokens', { name: 'x', scope: 'ingest' }, viewer.cookie)).status,
    ).toBe(403)
    expect(await auditActions()).toEqual(
      expect.arrayContaining(['tokens.create:ok', 'tokens.revoke:ok']),
    )
  })

  it('disabling a user ends their open session at the next request', async () => {
    const admin = await signIn(tdb.db, 'admin', clock.now())
    const v = await signIn(tdb.db, 'viewer', clock.now())
    expect((await app.request('/', { headers: { cookie: v.cookie } })).status).toBe(200)
    expect((await post(`/users/${v.user.id}/disable`, {}, admin.cookie)).status).toBe(303)
    expect((await app.request('/', { headers: { cookie: v.cookie } })).status).toBe(302)
    expect(
      await tdb.db.selectFrom('sessions').where('user_id', '=', v.user.id).selectAll().execute(),
    ).toHaveLength(0)
    expect(await auditActions()).toContain('users.disable:ok')
    const filtered = await (
      await app.request('/audit?action=users.', { headers: { cookie: admin.cookie } })
    ).text()
    const table = filtered.slice(filtered.indexOf('<table'))
    expect(table).toContain('users.disable')
    expect(table).not.toContain('auth.signin')
    // the prefix from the address stays chosen in the action menu
    expect(filtered).toContain('<option value="users." selected="">users.…</option>')
    // in words, with the outcome in French
    expect(filtered).toMatch(/Compte désactivé <code class="small muted">users\.disable<\/code>/)
    expect(filtered).toContain('<td>réussi</td>')
  })

  it("an admin revokes a teammate's leaked token without disabling the account", async () => {
    const admin = await signIn(tdb.db, 'admin', clock.now())
    const lea = await signIn(tdb.db, 'responder', clock.now())
    const made = await post('/account/tokens', { name: 'Zapier', scope: 'ingest' }, lea.cookie)
    const token = /<code[^>]*id="new-token"[^>]*>([^<]+)</.exec(await made.text())![1]
    const auth = { authorization: `Bearer ${token}` }
    expect((await app.request('/api/mentions', { headers: auth })).status).toBe(200)
    const page = await (await app.request('/users', { headers: { cookie: admin.cookie } })).text()
    const table = /<table class="table" id="all-tokens">[^]*?<\/table>/.exec(page)![0]
    expect(table).toContain(lea.user.email)
    expect(table).toContain('Zapier')
    const id = /action="\/users\/tokens\/(\d+)\/revoke"/.exec(table)![1]
    // a responder cannot, even with the address
    expect((await post(`/users/tokens/${id}/revoke`, {}, lea.cookie)).status).toBe(403)
    expect((await post(`/users/tokens/${id}/revoke`, {}, admin.cookie)).status).toBe(303)
    expect((await app.request('/api/mentions', { headers: auth })).status).toBe(401)
    expect((await post(`/users/tokens/${id}/revoke`, {}, admin.cookie)).status).toBe(404)
    // the account still works, and the log says whose token went
    expect((await app.request('/mentions', { headers: { cookie: lea.cookie } })).status).toBe(200)
    const row = await tdb.db
      .selectFrom('audit_log')
      .select(['actor', 'detail'])
      .where('action', '=', 'tokens.revoke')
      .executeTakeFirstOrThrow()
    expect(row.actor).toBe(admin.user.email)
    expect(JSON.parse(row.detail)).toEqual({ tokenId: Number(id), userId: lea.user.id })
  })

  it('keeps at least one active admin', async () => {
    const admin = await signIn(tdb.db, 'admin', clock.now())
    const other = await signIn(tdb.db, 'admin', clock.now())
    await setUserDisabled(tdb.db, other.user.id, true, clock.now())
    // The only active admin cannot disable themself nor be demoted by someone else.
    expect((await post(`/users/${admin.user.id}/disable`, {}, admin.cookie)).status).toBe(409)
  })
})

describe('invitations', () => {
  it('an admin invites; the link sets the password once; the role applies', async () => {
    const admin = await signIn(tdb.db, 'admin', clock.now())
    const res = await post(
      '/users',
      { email: 'rita@x.example', name: 'Rita', role: 'responder' },
      admin.cookie,
    )
    expect(res.status).toBe(200)
    const link = /id="invite-link">([^<]+)</.exec(await res.text())![1]
    const path = new URL(link).pathname
    expect(await (await app.request(path)).text()).toContain('rita@x.example')
    const done = await post(path, { password: TEST_PASSWORD, confirm: TEST_PASSWORD })
    expect(done.status).toBe(303)
    const cookie = sessionCookie(done)
    expect((await app.request('/users', { headers: { cookie } })).status).toBe(403)
    expect((await app.request('/mentions', { headers: { cookie } })).status).toBe(200)
    expect((await app.request(path)).status).toBe(410)
  })

  it('disabling an invited person kills their link: it no longer shows the form', async () => {
    const admin = await signIn(tdb.db, 'admin', clock.now())
    const res = await post(
      '/users',
      { email: 'zoe@x.example', name: 'Zoé', role: 'viewer' },
      admin.cookie,
    )
    const path = new URL(/id="invite-link">([^<]+)</.exec(await res.text())![1]).pathname
    const zoe = (await getUserByEmail(tdb.db, 'zoe@x.example'))!
    expect((await post(`/users/${zoe.id}/disable`, {}, admin.cookie)).status).toBe(303)
    const page = await app.request(path)
    expect(page.status).toBe(410)
    const html = await page.text()
    expect(html).not.toContain('type="password"')
    expect(html).toContain('Demandez un nouveau lien à un administrateur')
  })

  it('a pending invitation shows as such and can be sent again; accepting it counts as a sign-in', async () => {
    const admin = await signIn(tdb.db, 'admin', clock.now())
    const invited = await post(
      '/users',
      { email: 'noe@x.example', name: 'Noé', role: 'viewer' },
      admin.cookie,
    )
    const first = new URL(/id="invite-link">([^<]+)</.exec(await invited.text())![1]).pathname
    const users = async () =>
      (await app.request('/users', { headers: { cookie: admin.cookie } })).text()
    expect(await users()).toMatch(
      /noe@x\.example[^]*invitation en attente[^]*Nouveau lien d’invitation/,
    )
    // inviting the same address again says what to do instead
    const again = await post('/users', { email: 'noe@x.example', role: 'viewer' }, admin.cookie)
    expect(again.status).toBe(422)
    expect(await again.text()).toContain('Cette personne est déjà invitée')
    // the first link was lost: a new one, which works
    const noe = (await tdb.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'noe@x.example')
      .executeTakeFirstOrThrow())!
    const renewed = await post(`/users/${noe.id}/invite`, {}, admin.cookie)
    const link = /id="invite-link">([^<]+)</.exec(await renewed.text())![1]
    // the lost link went astray: it stops working, and says to ask for a new one
    const dead = await app.request(first)
    expect(dead.status).toBe(410)
    expect(await dead.text()).toContain('Demandez un nouveau lien à un administrateur')
    expect((await post(first, { password: TEST_PASSWORD, confirm: TEST_PASSWORD })).status).toBe(
      410,
    )
    const done = await post(new URL(link).pathname, {
      password: TEST_PASSWORD,
      confirm: TEST_PASSWORD,
    })
    expect(done.status).toBe(303)
    const page = await users()
    const row = /noe@x\.example(?:(?!<\/tr>)[^])*/.exec(page)![0]
    expect(row).not.toContain('invitation en attente')
    expect(row).not.toContain('jamais') // last sign-in: the link signed them in
    expect((await post(`/users/${noe.id}/invite`, {}, admin.cookie)).status).toBe(404)
  })
})

async function seedMention(author = 'jdoe', kind = 'rss') {
  const brand = await insertBrand(tdb.db, { name: 'Acme', query: 'Acme' }, clock.now())
  const src = await insertSource(
    tdb.db,
    { name: 'Feed', kind, config: { url: 'https://f.example/rss' }, intervalSeconds: 900 },
    clock.now(),
  )
  await ingestOverTime(
    tdb.db,
    src,
    [
      {
        externalId: 'a',
        url: 'https://f.example/a',
        title: 'Acme <script>alert(1)</script>',
        text: 'Acme <img src=x onerror=alert(1)>',
        author,
        publishedAt: clock.now().toISOString(),
      },
      {
        externalId: 'b',
        url: 'https://f.example/b',
        title: 'Acme old news',
        text: 'old',
        author: 'someone',
        publishedAt: new Date(clock.now().getTime() - 200 * 86400_000).toISOString(),
      },
    ],
    clock.now(),
  )
  const m = await tdb.db
    .selectFrom('mentions')
    .selectAll()
    .where('external_id', '=', 'a')
    .executeTakeFirstOrThrow()
  return { brand, src, mention: m }
}

describe('what each role is shown', () => {
  it('a viewer reads without controls the server would refuse; a responder triages', async () => {
    const { mention, src } = await seedMention()
    const viewer = await signIn(tdb.db, 'viewer', clock.now())
    const responder = await signIn(tdb.db, 'responder', clock.now())
    const page = async (path: string, who: { cookie: string }) =>
      (await app.request(path, { headers: { cookie: who.cookie } })).text()
    const controls: [string, RegExp][] = [
      ['/mentions', /id="bulk"|class="quick"/],
      [`/mentions/${mention.id}`, /id="triage"|id="mute"|name="body"/],
      ['/sources', /href="\/sources\/new"|\/edit"|\/poll"/],
      ['/brands', /href="\/brands\/new"|\/edit"/],
    ]
    for (const [path, re] of controls) {
      const html = await page(path, viewer)
      expect(html, path).not.toMatch(re)
    }
    expect(await page(`/mentions/${mention.id}`, viewer)).toContain('Pas encore de réponse.')
    expect(await page('/mentions', responder)).toMatch(/id="bulk"[^]*class="quick"/)
    expect(await page(`/mentions/${mention.id}`, responder)).toMatch(/id="triage"[^]*name="body"/)
    expect(await page('/sources', responder)).not.toContain(`/sources/${src.id}/edit`)
    // their settings page holds their account alone, and does not promise channels or the team
    const settings = await page('/settings', responder)
    expect(settings).toContain('href="/account"')
    expect(settings).not.toContain('Canaux d’alerte, résumé quotidien')
  })
})

describe('four eyes on answers', () => {
  it('needs a different person to approve; an edit voids the approval; the link lands on the mention', async () => {
    const { mention } = await seedMention()
    const ana = await signIn(tdb.db, 'responder', clock.now())
    const bob = await signIn(tdb.db, 'responder', clock.now())
    const viewer = await signIn(tdb.db, 'viewer', clock.now())
    const base = `/mentions/${mention.id}/answer`
    const page = await (await app.request(base, { headers: { cookie: viewer.cookie } })).text()
    expect(page).not.toMatch(/<script>alert|<img src=x/)
    expect((await post(base, { body: 'Merci !' }, viewer.cookie)).status).toBe(403)
    // The panel sits on the mention's detail page too, and its forms come back there.
    const detail = await (
      await app.request(`/mentions/${mention.id}`, { headers: { cookie: ana.cookie } })
    ).text()
    expect(detail).toContain('id="answer-panel"')
    const fromDetail = await post(
      base,
      { body: 'Brouillon', back: `/mentions/${mention.id}` },
      ana.cookie,
    )
    expect(fromDetail.headers.get('location')).toBe(`/mentions/${mention.id}#answer-panel`)
    expect((await post(base, { body: 'Merci, nous regardons.' }, ana.cookie)).status).toBe(303)
    // The author is shown that someone else must approve, not a button that would refuse; the
    // other responder gets the button. A forged request by the author is still refused.
    const panel = async (who: { cookie: string }) =>
      (await app.request(base, { headers: { cookie: who.cookie } })).text()
    const anaSees = await panel(ana)
    expect(anaSees).not.toContain(`action="${base}/approve"`)
    expect(anaSees).toContain('id="answer-awaiting"')
    const bobSees = await panel(bob)
    expect(bobSees).toContain(`action="${base}/approve"`)
    expect(bobSees).not.toContain('id="answer-awaiting"')
    expect((await post(`${base}/approve`, {}, ana.cookie)).status).toBe(409)
    expect(
      (await post(`${base}/published`, { url: 'https://x.example/r' }, ana.cookie)).status,
    ).toBe(409)
    expect((await post(`${base}/approve`, {}, bob.cookie)).status).toBe(303)
    // Ana edits after approval: voided, and now Bob's approval is needed again (Ana cannot).
    expect((await post(base, { body: 'Merci, nous regardons de près.' }, ana.cookie)).status).toBe(
      303,
    )
    let a = await tdb.db.selectFrom('answers').selectAll().executeTakeFirstOrThrow()
    expect(a).toMatchObject({ status: 'draft', approved_by: null })
    expect((await post(`${base}/approve`, {}, bob.cookie)).status).toBe(303)
    expect(
      (await post(`${base}/published`, { url: 'javascript:alert(1)' }, ana.cookie)).status,
    ).toBe(422)
    expect(
      (await post(`${base}/published`, { url: 'https://social.example/r/1' }, ana.cookie)).status,
    ).toBe(303)
    a = await tdb.db.selectFrom('answers').selectAll().executeTakeFirstOrThrow()
    expect(a.status).toBe('published')
    const m = await tdb.db
      .selectFrom('mentions')
      .selectAll()
      .where('id', '=', mention.id)
      .executeTakeFirstOrThrow()
    expect(m).toMatchObject({ answer_url: 'https://social.example/r/1', status: 'answered' })
    expect((await auditActions()).filter((x) => x.startsWith('answers.'))).toEqual([
      'answers.draft:ok',
      'answers.draft:ok',
      'answers.approve:denied',
      'answers.approve:ok',
      'answers.approval-voided:ok',
      'answers.approve:ok',
      'answers.published:ok',
    ])
  })

  it('approves only the text the approver read, and keeps what they typed when it refuses', async () => {
    const { mention } = await seedMention()
    const ana = await signIn(tdb.db, 'responder', clock.now())
    const bob = await signIn(tdb.db, 'responder', clock.now())
    const base = `/mentions/${mention.id}/answer`
    const back = `/mentions/${mention.id}`
    await post(base, { body: 'Version 1', back }, ana.cookie)
    // Bob opens the mention: the form carries the version he reads
    const bobPage = await (await app.request(back, { headers: { cookie: bob.cookie } })).text()
    const version = bobPage.match(/name="version" value="([^"]+)"/)![1]
    clock.advance(60_000)
    await post(base, { body: 'Version 2 : remboursement promis à tous', back }, ana.cookie)
    const stale = await post(`${base}/approve`, { body: 'Version 1', version, back }, bob.cookie)
    expect(stale.status).toBe(409)
    const stalePage = await stale.text()
    expect(stalePage).toContain('Le texte a changé depuis que vous l’avez ouvert')
    expect(stalePage).toContain('class="card detail"') // still on the mention's page
    expect(stalePage).toContain('Version 2 : remboursement promis à tous</textarea>')
    // Bob corrects the text in the box and clicks Approve: refused, his text kept in the box
    const v2 = (await tdb.db.selectFrom('answers').select('updated_at').executeTakeFirstOrThrow())
      .updated_at
    const edited = await post(
      `${base}/approve`,
      { body: 'Version 2, corrigée par Bob', version: v2, back },
      bob.cookie,
    )
    expect(edited.status).toBe(409)
    expect(await edited.text()).toContain('Version 2, corrigée par Bob</textarea>')
    expect((await tdb.db.selectFrom('answers').selectAll().executeTakeFirstOrThrow()).status).toBe(
      'draft',
    )
    // the text he read, unchanged: approved
    const ok = await post(
      `${base}/approve`,
      { body: 'Version 2 : remboursement promis à tous', version: v2, back },
      bob.cookie,
    )
    expect(ok.headers.get('location')).toBe(`${back}#answer-panel`)
    // a bad public link is refused on the mention's page, the link as typed kept
    const bad = await post(`${base}/published`, { url: 'ftp://x.example/r', back }, ana.cookie)
    expect(bad.status).toBe(422)
    expect(await bad.text()).toMatch(/class="card detail"[^]*value="ftp:\/\/x.example\/r"/)
    await post(`${base}/published`, { url: 'https://social.example/r/2', back }, ana.cookie)
    // published: the text stays visible, and the mention's history says so
    const after = await (await app.request(back, { headers: { cookie: bob.cookie } })).text()
    expect(after).toContain(
      '<blockquote class="published-answer">Version 2 : remboursement promis à tous</blockquote>',
    )
    // once, with who approved it still on record; a viewer reads the same
    const viewer = await signIn(tdb.db, 'viewer', clock.now())
    for (const page of [
      after,
      await (await app.request(back, { headers: { cookie: viewer.cookie } })).text(),
    ]) {
      expect(page.split('Version 2 : remboursement promis à tous')).toHaveLength(2)
      expect(page).toMatch(/Approuvée par/)
    }
    const events = await tdb.db
      .selectFrom('mention_events')
      .select(['field', 'new_value'])
      .where('mention_id', '=', mention.id)
      .orderBy('id')
      .execute()
    // the first draft put it in progress; publishing answered it
    expect(events).toEqual([
      { field: 'status', new_value: 'in_progress' },
      { field: 'status', new_value: 'answered' },
      { field: 'answer_url', new_value: 'https://social.example/r/2' },
    ])
  })
})

describe('privacy', () => {
  it('exclusions list shows hints only, and the pipeline drops a matching author', async () => {
    const admin = await signIn(tdb.db, 'admin', clock.now())
    expect(
      (
        await post(
          '/settings/exclusions',
          { kind: 'author', value: '@Jean.Dupont', platform: '', brand: '' },
          admin.cookie,
        )
      ).status,
    ).toBe(303)
    const html = await (
      await app.request('/settings/exclusions', { headers: { cookie: admin.cookie } })
    ).text()
    expect(html).toContain('je…')
    expect(html).not.toContain('jean.dupont')
    // the same account written another way is not listed twice; a platform shows by its label
    const twice = await post(
      '/settings/exclusions',
      { kind: 'author', value: 'jean.dupont', platform: '', brand: '' },
      admin.cookie,
    )
    expect(twice.status).toBe(422)
    expect(await twice.text()).toContain('Déjà dans la liste')
    const masto = await post(
      '/settings/exclusions',
      { kind: 'author', value: 'jean.dupont', platform: 'mastodon', brand: '' },
      admin.cookie,
    )
    expect(masto.headers.get('location')).toBe('/settings/exclusions?done=added')
    const after = await (
      await app.request('/settings/exclusions?done=added', { headers: { cookie: admin.cookie } })
    ).text()
    expect(after).toContain('Exclusion ajoutée')
    expect(after).toMatch(/<td>\s*Mastodon/)
    // with the day it was added, which tells two alike hints ("je…") apart
    expect(after).toContain('<th scope="col">Ajoutée le</th>')
    expect(after).toMatch(/<td class="nowrap"><time datetime="[^"]+">[^<]+<\/time><\/td>/)
    const m = await loadExclusionMatcher(tdb.db)
    expect(m.excludes({ author: 'JEAN.DUPONT', url: 'https://x.example' }, 'rss', 1)).toBe(true)
    const audit = await tdb.db.selectFrom('audit_log').selectAll().execute()
    expect(JSON.stringify(audit)).not.toMatch(/jean/i)
  })

  it('erases by author in one action, excludes them, and audits counts only', async () => {
    await seedMention('Jean_Secret')
    const admin = await signIn(tdb.db, 'admin', clock.now())
    const res = await post(
      '/settings/erasure',
      { kind: 'author', value: '@jean_secret' },
      admin.cookie,
    )
    expect(res.headers.get('location')).toBe('/settings/privacy?done=erased&n=1')
    expect(
      await tdb.db.selectFrom('mentions').selectAll().where('author', '=', 'Jean_Secret').execute(),
    ).toHaveLength(0)
    const audit = await tdb.db.selectFrom('audit_log').selectAll().execute()
    expect(JSON.stringify(audit)).not.toMatch(/jean/i)
    expect(audit.find((a) => a.action === 'privacy.erasure')?.detail).toBe(
      JSON.stringify({ kind: 'author', deleted: 1, excluded: true }),
    )
  })

  it('erases a Mastodon account named as the README writes it ("@staff.member"), on any instance', async () => {
    const { src } = await seedMention('staff.member@masto.example', 'mastodon')
    const admin = await signIn(tdb.db, 'admin', clock.now())
    const res = await post(
      '/settings/erasure',
      { kind: 'author', value: '@staff.member' },
      admin.cookie,
    )
    expect(res.headers.get('location')).toBe('/settings/privacy?done=erased&n=1')
    const again = await ingest(
      tdb.db,
      src,
      [
        {
          externalId: 'c',
          url: 'https://f.example/c',
          title: 'Acme',
          text: 'Acme',
          author: 'staff.member@other.example',
        },
      ],
      clock.now(),
    )
    expect(again).toMatchObject({ newMentions: [], excluded: 1 })
  })

  it.each(['reporter@news.example.com', 'Jane Reporter'])(
    'erases an RSS author ("address (Name)") named by %s, and keeps them out',
    async (value) => {
      const author = 'reporter@news.example.com (Jane Reporter)'
      const { src } = await seedMention(author)
      const admin = await signIn(tdb.db, 'admin', clock.now())
      const res = await post('/settings/erasure', { kind: 'author', value }, admin.cookie)
      expect(res.headers.get('location')).toBe('/settings/privacy?done=erased&n=1')
      const again = await ingest(
        tdb.db,
        src,
        [{ externalId: 'c', url: 'https://f.example/c', title: 'Acme', text: 'Acme', author }],
        clock.now(),
      )
      expect(again).toMatchObject({ newMentions: [], excluded: 1 })
    },
  )

  it('erases by address: its variants go, and the page is not collected again', async () => {
    const { src } = await seedMention()
    const admin = await signIn(tdb.db, 'admin', clock.now())
    expect(
      (await post('/settings/erasure', { kind: 'url', value: 'f.example/a' }, admin.cookie)).status,
    ).toBe(422)
    // www., http and a tracking parameter are the same page, as at collection
    const res = await post(
      '/settings/erasure',
      { kind: 'url', value: 'http://www.f.example/a?utm_source=mail' },
      admin.cookie,
    )
    expect(res.headers.get('location')).toBe('/settings/privacy?done=erased&n=1')
    const urls = async () =>
      (await tdb.db.selectFrom('mentions').select('url').execute()).map((m) => m.url)
    expect(await urls()).toEqual(['https://f.example/b'])
    const again = await ingest(
      tdb.db,
      src,
      [{ externalId: 'a2', url: 'https://f.example/a/', title: 'Acme again', text: 'Acme' }],
      clock.now(),
    )
    expect(again).toMatchObject({ newMentions: [], excluded: 1 })
    expect(await urls()).toEqual(['https://f.example/b'])
    // the exclusions list names the site, not the page
    const list = await (
      await app.request('/settings/exclusions', { headers: { cookie: admin.cookie } })
    ).text()
    expect(list).toContain('f.example/…')
    expect(list).not.toContain('f.example/a')
    const audit = await tdb.db.selectFrom('audit_log').selectAll().execute()
    expect(JSON.stringify(audit)).not.toContain('f.example/a')
    const page = await (
      await app.request('/settings/privacy?done=erased&n=1', { headers: { cookie: admin.cookie } })
    ).text()
    expect(page).toContain(frenchSpacing('1 mention effacée ;'))
  })

  it('purges expired mentions, keeps their daily counts, and reports the count', async () => {
    const { brand } = await seedMention()
    const r = await purgeExpired(tdb.db, clock.now())
    expect(r.deleted).toBe(1)
    expect(await tdb.db.selectFrom('mentions').selectAll().execute()).toHaveLength(1)
    const counts = await tdb.db.selectFrom('daily_counts').selectAll().execute()
    expect(counts).toEqual([
      { brand_id: brand.id, day: '2026-05-06', label: expect.any(String), count: 1 },
    ])
    const admin = await signIn(tdb.db, 'admin', clock.now())
    const page = await (
      await app.request('/settings/privacy', { headers: { cookie: admin.cookie } })
    ).text()
    expect(page).toContain('1 mention supprimée.')
    expect(page).toContain(frenchSpacing('Dernière purge : '))
    expect(page).not.toContain('1 mentions')
    const refused = await post('/settings/retention', { days: '100000' }, admin.cookie)
    expect(refused.status).toBe(422)
    expect(await refused.text()).toContain('value="100000"') // shown as typed, next to its error
    expect((await post('/settings/retention', { days: '0' }, admin.cookie)).status).toBe(422)
    expect((await post('/settings/retention', { days: '30' }, admin.cookie)).status).toBe(303)
  })

  it('exports CSV safe from formula injection, and JSON, for a brand and period', async () => {
    const { brand, mention } = await seedMention('=HYPERLINK("http://evil")')
    const admin = await signIn(tdb.db, 'admin', clock.now())
    // who handles it and the team's note travel with the export (reports by person)
    await triageMentions(
      tdb.db,
      [mention.id],
      { assignee: 'Léa', note: 'rappeler' },
      'x',
      clock.now(),
    )
    const csv = await app.request(
      `/api/export?brand=${brand.id}&from=2026-11-01&to=2026-11-22&format=csv`,
      {
        headers: { cookie: admin.cookie },
      },
    )
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/)
    const bytes = new Uint8Array(await csv.clone().arrayBuffer())
    expect([...bytes.slice(0, 5)]).toEqual([0xef, 0xbb, 0xbf, 0x69, 0x64]) // UTF-8 BOM, then "id"
    const text = await csv.text()
    const lines = text.trim().split('\r\n')
    expect(lines).toHaveLength(2) // header + the one mention in the period
    expect(text).toContain(`"'=HYPERLINK(""http://evil"")"`)
    expect(lines[0].endsWith(',status,answer_url,assignee,note')).toBe(true)
    expect(lines[1].endsWith(',"Léa","rappeler"')).toBe(true)
    // for Excel in French: semicolons and decimal commas (the form offers it first in French)
    const fr = await (
      await app.request(
        `/api/export?brand=${brand.id}&from=2026-11-01&to=2026-11-22&format=csv&sep=semicolon`,
        { headers: { cookie: admin.cookie } },
      )
    ).text()
    const [head, row] = fr.replace('\uFEFF', '').trim().split('\r\n')
    expect(head).toBe(lines[0].replace('\uFEFF', '').replaceAll(',', ';'))
    expect(row.split(';')[10]).toMatch(/^-?\d+(,\d+)?$/) // sentiment_score, decimal comma
    expect(
      (await app.request('/api/export?sep=tab', { headers: { cookie: admin.cookie } })).status,
    ).toBe(400)
    const reversed = await app.request('/api/export?from=2026-11-22&to=2026-11-01', {
      headers: { cookie: admin.cookie },
    })
    expect(reversed.status).toBe(400)
    expect((await reversed.json()).error).toContain('swap them')
    const oneDay = '/api/export?from=2026-11-22&to=2026-11-22'
    expect((await app.request(oneDay, { headers: { cookie: admin.cookie } })).status).toBe(200)
    const form = await (
      await app.request('/settings/privacy', { headers: { cookie: admin.cookie } })
    ).text()
    expect(form).toContain('<option value="semicolon" selected="">')
    const json = await (
      await app.request(`/api/export?brand=Acme&format=json`, { headers: { cookie: admin.cookie } })
    ).json()
    expect(json).toHaveLength(2)
    expect(
      (await app.request('/api/export?format=xml', { headers: { cookie: admin.cookie } })).status,
    ).toBe(400)
    const viewer = await signIn(tdb.db, 'viewer', clock.now())
    expect((await app.request('/api/export', { headers: { cookie: viewer.cookie } })).status).toBe(
      403,
    )
  })
})

describe('audit log', () => {
  it('says which object a change was about, keeps deleted names, and skips the live preview', async () => {
    const admin = await signIn(tdb.db, 'admin', clock.now())
    await post('/brands', { name: 'Acme', query: 'Acme' }, admin.cookie)
    await post('/brands/preview', { query: 'Acm' }, admin.cookie)
    await post('/brands/preview', { query: 'Acme' }, admin.cookie)
    const brand = await tdb.db.selectFrom('brands').select('id').executeTakeFirstOrThrow()
    await post(`/brands/${brand.id}/delete`, {}, admin.cookie)
    const rows = await tdb.db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .orderBy('id')
      .execute()
    expect(rows.map((r) => [r.action, JSON.parse(r.detail)])).toEqual([
      ['brands.create', { status: 303, name: 'Acme' }],
      ['brands.delete', { id: brand.id, name: 'Acme' }],
    ])
    const page = await (await app.request('/audit', { headers: { cookie: admin.cookie } })).text()
    expect(page).toContain(frenchSpacing(`n° : ${brand.id} · nom : Acme`))
    expect(page).not.toContain('{&quot;')
    // people by name, roles in words, nothing empty
    const lea = await signIn(tdb.db, 'responder', clock.now())
    await tdb.db
      .updateTable('users')
      .set({ name: 'Léa Martin' })
      .where('id', '=', lea.user.id)
      .execute()
    expect(
      (await post(`/users/${lea.user.id}/role`, { role: 'viewer' }, admin.cookie)).status,
    ).toBe(303)
    const after = await (await app.request('/audit', { headers: { cookie: admin.cookie } })).text()
    expect(after).toContain(
      frenchSpacing('personne : Léa Martin · avant : Répondant · après : Lecteur'),
    )
    const en = await (
      await app.request('/audit', { headers: { cookie: `${admin.cookie}; lang=en` } })
    ).text()
    expect(en).toContain('person: Léa Martin · before: Responder · after: Viewer')
  })
})
