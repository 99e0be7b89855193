// The audit log page (admins). Read-only: there is no route that edits or deletes entries.
// Filters: action (or a prefix of actions), person, outcome, and calendar days in the page's zone.
import { Hono } from 'hono'
import { listAudit, type AuditFilter } from '../../db/audit'
import { dayStart, isDate } from '../digest-period'
import { AuditPage, type AuditQuery } from '../../views/pages/audit'
import type { Env } from '../app'

const PAGE = 100
const OUTCOMES = new Set(['ok', 'denied', 'failed'])

/** The filters as sent (kept for the form and the next page) and as the query reads them. */
export function auditFilter(
  raw: Record<string, string | undefined>,
  tz: string,
): { shown: AuditQuery; filter: AuditFilter } {
  const s = (k: string) => raw[k]?.trim() || undefined
  const shown: AuditQuery = {
    action: s('action')?.slice(0, 50),
    person: s('person'),
    outcome: OUTCOMES.has(s('outcome') ?? '') ? s('outcome') : undefined,
    from: isDate(s('from') ?? '') ? s('from') : undefined,
    to: isDate(s('to') ?? '') ? s('to') : undefined,
  }
  const filter: AuditFilter = {
    action: shown.action,
    outcome: shown.outcome as AuditFilter['outcome'],
    from: shown.from && dayStart(shown.from, tz).toISOString(),
    // the day given is included: up to the next midnight
    to: shown.to && dayStart(shown.to, tz, 1).toISOString(),
  }
  if (shown.person === 'none') filter.userId = null
  else if (/^\d+$/.test(shown.person ?? '')) filter.userId = Number(shown.person)
  else shown.person = undefined
  return { shown, filter }
}

export const auditRoutes = new Hono<Env>().get('/audit', async (c) => {
  const { db } = c.get('ctx')
  const v = c.get('v')
  const before = Number(c.req.query('before')) || undefined
  const { shown, filter } = auditFilter(c.req.query(), v.tz)
  const [entries, team] = await Promise.all([
    listAudit(db, { ...filter, before, limit: PAGE }),
    // everyone who ever had an account, disabled included: their actions stay in the log
    db.selectFrom('users').select(['id', 'name', 'email']).orderBy('name').execute(),
  ])
  const older = entries.length === PAGE ? entries[entries.length - 1].id : undefined
  // the people records name by id ("userId": 4), shown by their name
  const people = new Map(team.map((u) => [u.id, u.name || u.email]))
  return c.html(<AuditPage v={v} entries={entries} older={older} query={shown} people={people} />)
})
