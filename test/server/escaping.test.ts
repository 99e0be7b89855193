// Hostile text through every view: a mention, brand, source, user and answer carrying <script>
// and on*= payloads, then every GET route the app registers (walked from app.routes, so views
// added later are covered) rendered for an admin — no payload may come back unescaped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { saveAnswerDraft } from '../../db/answers'
import { insertBrand } from '../../db/brands'
import { insertSource } from '../../db/sources'
import { insertUser } from '../../db/users'
import { createApp } from '../../server/app'
import { ingest } from '../../server/pipeline'
import { Poller } from '../../server/poller'
import { buildDigest, loadDigestInput } from '../../server/digest'
import { renderDigestEmail } from '../../views/email/digest'
import { signIn } from '../helpers/auth'
import { freshDb, testContext, type TestDb } from '../helpers/db'

const now = new Date('2026-11-22T12:00:00Z')
const RAW = /<script>alert|<img src=x|<svg onload|<iframe|" onmouseover=/i
let tdb: TestDb
let app: ReturnType<typeof createApp>
let cookie: string
const ids: Record<string, number> = {}

beforeAll(async () => {
  tdb = await freshDb()
  const ctx = testContext(tdb, { now: () => now })
  app = createApp(ctx, new Poller(ctx))
  const admin = await signIn(tdb.db, 'admin', now)
  cookie = admin.cookie
  const brand = await insertBrand(
    tdb.db,
    { name: 'Acme <svg onload=alert(5)>', query: 'Acme' },
    now,
  )
  const src = await insertSource(
    tdb.db,
    {
      name: '<iframe src=x>',
      kind: 'rss',
      config: { url: 'https://f.example/rss' },
      intervalSeconds: 900,
    },
    now,
  )
  await ingest(
    tdb.db,
    src,
    [
      {
        externalId: 'x',
        url: 'https://f.example/x?a=" onmouseover="alert(1)',
        title: 'Acme <script>alert(1)</script>',
        text: 'Acme <img src=x onerror=alert(2)>',
        author: '<svg onload=alert(3)>',
        publishedAt: now.toISOString(),
      },
    ],
    now,
  )
  const m = await tdb.db.selectFrom('mentions').select('id').executeTakeFirstOrThrow()
  const u = await insertUser(
    tdb.db,
    { email: 'x@x.example', name: '<img src=x onerror=alert(4)>', role: 'viewer' },
    now,
  )
  await saveAnswerDraft(tdb.db, m.id, '<script>alert(6)</script>', admin.user.id, now)
  Object.assign(ids, { mentions: m.id, brands: brand.id, sources: src.id, users: u.id })
})
afterAll(() => tdb.cleanup())

function concrete(pattern: string): string {
  const area = pattern.split('/')[1]
  return pattern.replace(/:(\w+)(\{[^}]+\})?/g, (_, _n, re?: string) =>
    re && /^\{[a-z-]+(\|[a-z-]+)+\}$/i.test(re)
      ? re.slice(1).split('|')[0]
      : String(ids[area] ?? 1),
  )
}

describe('escaping', () => {
  it('no view renders hostile text raw', async () => {
    const paths = [
      ...new Set(
        app.routes
          .filter(
            (r) => r.method === 'GET' && !/^\/(static|healthz|api)/.test(r.path) && r.path !== '/*',
          )
          .map((r) => concrete(r.path)),
      ),
      '/mentions?q=<script>alert(1)</script>',
    ]
    expect(paths.length).toBeGreaterThan(10)
    const rendered: string[] = []
    for (const path of paths) {
      for (const hx of [false, true]) {
        const res = await app.request(path, {
          headers: { cookie, ...(hx ? { 'HX-Request': 'true' } : {}) },
        })
        const body = await res.text()
        expect(body, `${path}${hx ? ' (htmx)' : ''}`).not.toMatch(RAW)
        if (res.status === 200) rendered.push(path)
      }
    }
    // The payloads were really on the pages (escaped), not just absent.
    const mention = await (
      await app.request(`/mentions/${ids.mentions}/answer`, { headers: { cookie } })
    ).text()
    expect(mention).toContain('&lt;svg onload=alert(3)&gt;') // the pipeline strips tags from text; the author stays
    expect(mention).toContain('&lt;script&gt;alert(6)&lt;/script&gt;')
    const users = await (await app.request('/users', { headers: { cookie } })).text()
    expect(users).toContain('&lt;img src=x onerror=alert(4)&gt;')
    expect(rendered).toContain('/mentions')
  })
  it('the digest e-mail carries the same hostile mention escaped', async () => {
    const input = await loadDigestInput(tdb.db, {
      kind: 'daily',
      date: '2026-11-22',
      timezone: 'Europe/Paris',
      lang: 'fr',
      brandIds: [],
      baseUrl: 'https://vigie.example',
    })
    const d = buildDigest(input)
    expect(d.brands.length).toBeGreaterThan(0)
    const mail = await renderDigestEmail(d, { manage: 'https://vigie.example/settings/digest' })
    expect(mail.html).not.toMatch(RAW)
    expect(mail.html).toContain('Acme &lt;svg onload=alert(5)&gt;')
  })
})
