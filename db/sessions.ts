// Server-side sessions. The cookie holds a random token; the table holds its sha256. Idle and
// absolute timeouts are checked on every request; a user lists and revokes their own sessions.
import type { Db } from '.'
import { randomToken, sha256 } from '../server/auth/tokens'
import type { Session, User } from './schema-access'
import { openUser } from './users'

export const IDLE_TIMEOUT_MS = 12 * 3600 * 1000
export const ABSOLUTE_TIMEOUT_MS = 14 * 24 * 3600 * 1000
/** The password-then-code step must be finished quickly. */
export const MFA_TIMEOUT_MS = 10 * 60 * 1000
/** last_seen_at is written at most this often (one write per minute, not per request). */
const TOUCH_EVERY_MS = 60 * 1000

export async function createSession(
  db: Db,
  userId: number,
  meta: { ip: string; userAgent: string; stage?: 'full' | 'mfa' },
  now: Date,
): Promise<{ token: string; session: Session }> {
  const token = randomToken(32)
  const ts = now.toISOString()
  const session = await db
    .insertInto('sessions')
    .values({
      id: sha256(token),
      user_id: userId,
      stage: meta.stage ?? 'full',
      created_at: ts,
      last_seen_at: ts,
      ip: meta.ip.slice(0, 64),
      user_agent: meta.userAgent.slice(0, 200),
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  return { token, session }
}

export function sessionExpired(s: Session, now: Date): boolean {
  const t = now.getTime()
  if (s.stage === 'mfa') return t - Date.parse(s.created_at) > MFA_TIMEOUT_MS
  return (
    t - Date.parse(s.last_seen_at) > IDLE_TIMEOUT_MS ||
    t - Date.parse(s.created_at) > ABSOLUTE_TIMEOUT_MS
  )
}

/** The live session and its (enabled) user for a cookie token, touching last_seen_at. */
export async function resolveSessionAnyStage(
  db: Db,
  token: string,
  now: Date,
): Promise<{ session: Session; user: User } | undefined> {
  const session = await db
    .selectFrom('sessions')
    .selectAll()
    .where('id', '=', sha256(token))
    .executeTakeFirst()
  if (!session) return undefined
  if (sessionExpired(session, now)) {
    await db.deleteFrom('sessions').where('id', '=', session.id).execute()
    return undefined
  }
  const user = await db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', session.user_id)
    .executeTakeFirst()
  if (!user || user.disabled) return undefined
  if (now.getTime() - Date.parse(session.last_seen_at) > TOUCH_EVERY_MS) {
    await db
      .updateTable('sessions')
      .set({ last_seen_at: now.toISOString() })
      .where('id', '=', session.id)
      .execute()
  }
  return { session, user: openUser(user) }
}

export async function listUserSessions(db: Db, userId: number): Promise<Session[]> {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('stage', '=', 'full')
    .orderBy('last_seen_at', 'desc')
    .execute()
}

export async function deleteSession(db: Db, id: string, userId?: number): Promise<number> {
  let q = db.deleteFrom('sessions').where('id', '=', id)
  if (userId !== undefined) q = q.where('user_id', '=', userId)
  const r = await q.executeTakeFirst()
  return Number(r.numDeletedRows)
}

export async function deleteUserSessions(db: Db, userId: number, exceptId?: string): Promise<void> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId)
  if (exceptId) q = q.where('id', '!=', exceptId)
  await q.execute()
}

/** Like resolveSessionAnyStage, but only a fully signed-in session (second factor done). */
export async function resolveSession(
  db: Db,
  token: string,
  now: Date,
): Promise<{ session: Session; user: User } | undefined> {
  const found = await resolveSessionAnyStage(db, token, now)
  return found?.session.stage === 'full' ? found : undefined
}
