// The audit log: append-only (no update or delete function exists). Records who did what, when,
// and the outcome — never the personal data an action was about (erasures record counts only).
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

export async function listAudit(
  db: Db,
  opts: { before?: number; limit?: number; action?: string } = {},
): Promise<AuditEntry[]> {
  let q = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc')
  if (opts.before) q = q.where('id', '<', opts.before)
  if (opts.action) q = q.where('action', 'like', `${opts.action}%`)
  return q.limit(opts.limit ?? 100).execute()
}
