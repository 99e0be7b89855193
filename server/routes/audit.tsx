// The audit log page (admins). Read-only: there is no route that edits or deletes entries.
import { Hono } from 'hono'
import { listAudit } from '../../db/audit'
import { AuditPage } from '../../views/pages/audit'
import type { Env } from '../app'

const PAGE = 100

export const auditRoutes = new Hono<Env>().get('/audit', async (c) => {
  const before = Number(c.req.query('before')) || undefined
  const action = c.req.query('action')?.trim().slice(0, 50) || undefined
  const entries = await listAudit(c.get('ctx').db, { before, limit: PAGE, action })
  const older = entries.length === PAGE ? entries[entries.length - 1].id : undefined
  // the people records name by id ("userId": 4), shown by their name
  const ids = new Set<number>()
  for (const e of entries) {
    const id = /"userId":(\d+)/.exec(e.detail)?.[1]
    if (id) ids.add(Number(id))
  }
  const people = new Map<number, string>()
  if (ids.size)
    for (const u of await c
      .get('ctx')
      .db.selectFrom('users')
      .select(['id', 'name', 'email'])
      .where('id', 'in', [...ids])
      .execute())
      people.set(u.id, u.name || u.email)
  return c.html(
    <AuditPage v={c.get('v')} entries={entries} older={older} action={action} people={people} />,
  )
})
