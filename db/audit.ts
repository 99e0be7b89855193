// The audit log: append-only (no update or delete function exists). Records who did what, when,
// and the outcome — never the personal data an action was about (erasures record counts only).
import { sql } from 'kysely'
import type { Db } from '.'
import type { AuditEntry } from './schema-access'

export interface AuditInput {
  userId: number | null
  actor: string
  action: string
  method?: string
  path?: string
  outcome: 'ok' | 'denied' | 'failed'
  detail?: Record<string, unknown>
  ip?: string
}

/** Paths carrying a secret (setup links, unsubscribe tokens, session ids) are kept without it. */
export function redactPath(path: string): string {
  return path
    .replace(/^\/setup\/[^/]+/, '/setup/…')
    .replace(/^\/digest\/unsubscribe\/[^/]+/, '/digest/unsubscribe/…')
    .replace(/^\/account\/sessions\/(?!revoke-others)[^/]+/, '/account/sessions/…')
}

export async function appendAudit(db: Db, e: AuditInput, now: Date): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: now.toISOString(),
      user_id: e.userId,
      actor: e.actor,
      action: e.action,
      method: e.method ?? '',
      path: redactPath(e.path ?? ''),
      outcome: e.outcome,
      detail: JSON.stringify(e.detail ?? {}),
      ip: e.ip ?? '',
    })
    .execute()
}

export interface AuditFilter {
  before?: number
  limit?: number
  /** an action, or a prefix of actions ("auth.") */
  action?: string
  /** a person's entries (as actor, or as the owner of a refused token); null: entries no
   * account made (unknown addresses at sign-in, Vigie itself) */
  userId?: number | null
  outcome?: AuditInput['outcome']
  /** ISO instants: from inclusive, to exclusive */
  from?: string
  to?: string
}

export async function listAudit(db: Db, opts: AuditFilter = {}): Promise<AuditEntry[]> {
  let q = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc')
  if (opts.before) q = q.where('id', '<', opts.before)
  // a prefix by its length rather than LIKE, whose _ and % would read the key's own characters
  if (opts.action)
    q = q.where(sql<string>`substr(action, 1, ${opts.action.length})`, '=', opts.action)
  if (opts.userId === null) q = q.where('user_id', 'is', null)
  else if (opts.userId !== undefined) q = q.where('user_id', '=', opts.userId)
  if (opts.outcome) q = q.where('outcome', '=', opts.outcome)
  if (opts.from) q = q.where('at', '>=', opts.from)
  if (opts.to) q = q.where('at', '<', opts.to)
  return q.limit(opts.limit ?? 100).execute()
}
