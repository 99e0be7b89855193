// The audit log's filters (db/audit.ts listAudit, server/routes/audit.tsx auditFilter): action or
// a prefix of actions, person (or no account), outcome, and calendar days in the reader's zone;
// on a real SQLite file, and on Postgres when TEST_DATABASE_URL is set.
import { afterEach, describe, expect, it } from 'vitest'
import type { OpenDb } from '../../db'
import { appendAudit, listAudit, type AuditFilter } from '../../db/audit'
import { insertUser } from '../../db/users'
import { auditFilter } from '../../server/routes/audit'
import { openTestDatabase } from '../helpers/postgres'
import { formatter, translator } from '../../views/i18n'
import { AuditPage } from '../../views/pages/audit'
import type { ViewCtx } from '../../views/view-context'

const pgUrl = process.env.TEST_DATABASE_URL
const dialects = pgUrl ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const)

describe.each(dialects)('listAudit filters on %s', (dialect) => {
  let t: OpenDb & { cleanup(): Promise<void> }
  afterEach(() => t.cleanup())

  it('by action prefix, person, outcome and days, alone and together', async () => {
    t = await openTestDatabase(dialect, 'auditfilter')
    const at = (iso: string) => new Date(iso)
    const lea = await insertUser(
      t.db,
      { email: 'lea@x.example', role: 'admin' },
      at('2026-11-01T00:00:00Z'),
    )
    const paul = await insertUser(
      t.db,
      { email: 'paul@x.example', role: 'responder' },
      at('2026-11-01T00:00:00Z'),
    )
    const rows: [number | null, string, 'ok' | 'denied' | 'failed', string][] = [
      [lea.id, 'auth.login', 'ok', '2026-11-20T08:00:00Z'],
      [paul.id, 'auth.login', 'failed', '2026-11-20T23:30:00Z'], // 21 Nov in Paris
      [null, 'auth.login', 'failed', '2026-11-21T09:00:00Z'], // an unknown address
      [paul.id, 'tokens.refused', 'denied', '2026-11-21T10:00:00Z'],
      [lea.id, 'users.role', 'ok', '2026-11-22T10:00:00Z'],
      [lea.id, 'mentions_bulk', 'ok', '2026-11-22T11:00:00Z'], // _ must not act as a wildcard
    ]
    for (const [userId, action, outcome, iso] of rows)
      await appendAudit(t.db, { userId, actor: String(userId ?? 'x@y'), action, outcome }, at(iso))
    const ids = async (f: AuditFilter) =>
      (await listAudit(t.db, f)).map((e) => `${e.action}/${e.outcome}`)
    const tz = 'Europe/Paris'
    // newest first, as the page lists them
    const everything = rows.map(([, action, outcome]) => `${action}/${outcome}`).reverse()
    const cases: [Record<string, string>, string[]][] = [
      [{}, everything],
      [{ action: 'auth.' }, ['auth.login/failed', 'auth.login/failed', 'auth.login/ok']],
      [{ action: 'mentions.' }, []],
      [{ person: String(paul.id) }, ['tokens.refused/denied', 'auth.login/failed']],
      [{ person: 'none' }, ['auth.login/failed']],
      [{ outcome: 'failed', action: 'auth.login' }, ['auth.login/failed', 'auth.login/failed']],
      [
        { from: '2026-11-21', to: '2026-11-21' },
        ['tokens.refused/denied', 'auth.login/failed', 'auth.login/failed'],
      ],
      [{ to: '2026-11-20' }, ['auth.login/ok']],
      [{ person: String(lea.id), from: '2026-11-22' }, ['mentions_bulk/ok', 'users.role/ok']],
      // what a form cannot send is ignored, not an error page
      [{ outcome: 'maybe', from: 'hier', person: 'léa' }, everything],
    ]
    for (const [raw, want] of cases)
      expect(await ids(auditFilter(raw, tz).filter), JSON.stringify(raw)).toEqual(want)
  })
})

describe('the audit page keeps its filters', () => {
  it('in the form and in the link to older entries', () => {
    const v = {
      t: translator('fr'),
      fmt: formatter('fr', 'Europe/Paris'),
      locale: 'fr',
      tz: 'Europe/Paris',
      now: new Date(),
      path: '/audit',
      here: '/audit',
    } as unknown as ViewCtx
    const html = String(
      AuditPage({
        v,
        entries: [],
        older: 42,
        query: { action: 'auth.signin', person: '7', outcome: 'failed', from: '2026-11-01' },
        people: new Map([[7, 'Paul Martin']]),
      }),
    )
    expect(html).toContain(
      'href="/audit?action=auth.signin&amp;person=7&amp;outcome=failed&amp;from=2026-11-01&amp;before=42"',
    )
    expect(html).toContain('<option value="7" selected="">Paul Martin</option>')
    expect(html).toContain('<option value="failed" selected="">échec</option>')
    expect(html).toMatch(/<option value="auth\.signin" selected="">[^<…]+<\/option>/)
    expect(html).toContain('<input id="audit-from" type="date" name="from" value="2026-11-01"')
  })
})
