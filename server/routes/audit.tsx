// The audit log page (admins). Read-only: there is no route that edits or deletes entries.
import { Hono } from 'hono'
import { listAudit } from '../../db/audit'
import { AuditPage } from '../../views/pages/audit'
import type { Env } from '../app'

const PAGE = 100

export const auditRoutes = new Hono<Env>().get('/audit', async (c) => {
  const before = Number(c.req.query('before')) || undefined
  const entries = await listAudit(c.get('ctx').db, { before, limit: PAGE })
  const older = entries.length === PAGE ? entries[entries.length - 1].id : undefined
  return c.html(<AuditPage v={c.get('v')} entries={entries} older={older} />)
})
