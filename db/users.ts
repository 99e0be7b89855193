// Users: email, role, password hash, TOTP state, disabled flag. Disabling a user deletes their
// sessions and revokes their API tokens in the same transaction.
import type { Db } from '.'
import type { Role } from '../server/context'
import { decryptValue, encryptValue } from '../server/secrets'
import type { User } from './schema-access'

/**
 * The TOTP secret is encrypted at rest like other secrets (server/secrets.ts); rows leave this
 * module decrypted. Undecryptable (wrong key): no second factor can be checked, so the code is
 * refused until an admin resets it (npm run user -- reset-2fa).
 */
export function openUser<T extends User | undefined>(u: T): T {
  if (!u?.totp_secret) return u
  try {
    return { ...u, totp_secret: decryptValue(u.totp_secret) }
  } catch {
    return { ...u, totp_secret: null }
  }
}

export const ROLES: Role[] = ['admin', 'responder', 'viewer']

/** Invited, not yet arrived: no password set through the link, and not disabled meanwhile. */
export function isPendingInvite(u: Pick<User, 'password_hash' | 'disabled'>): boolean {
  return !u.password_hash && !u.disabled
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}

export function isEmail(email: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)
}

export async function countUsers(db: Db): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()
  return Number(r.n)
}

export async function listUsers(db: Db): Promise<User[]> {
  return (await db.selectFrom('users').selectAll().orderBy('email').execute()).map(openUser)
}

export async function getUser(db: Db, id: number): Promise<User | undefined> {
  return openUser(await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst())
}

export async function getUserByEmail(db: Db, email: string): Promise<User | undefined> {
  return openUser(
    await db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', normalizeEmail(email))
      .executeTakeFirst(),
  )
}

export async function insertUser(
  db: Db,
  input: { email: string; name?: string; role: Role; passwordHash?: string | null },
  now: Date,
): Promise<User> {
  const email = normalizeEmail(input.email)
  if (!isEmail(email)) throw new Error(`"${input.email}" is not an e-mail address`)
  if (!ROLES.includes(input.role)) throw new Error(`unknown role "${input.role}"`)
  const ts = now.toISOString()
  return db
    .insertInto('users')
    .values({
      email,
      name: input.name?.trim() || email.split('@')[0],
      role: input.role,
      password_hash: input.passwordHash ?? null,
      created_at: ts,
      updated_at: ts,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function updateUser(
  db: Db,
  id: number,
  patch: Partial<
    Pick<
      User,
      | 'name'
      | 'role'
      | 'password_hash'
      | 'totp_secret'
      | 'totp_enabled'
      | 'totp_last_step'
      | 'recovery_codes'
    >
  > & { last_sign_in_at?: string },
  now: Date,
): Promise<void> {
  await db
    .updateTable('users')
    .set({
      ...patch,
      ...(patch.totp_secret && { totp_secret: encryptValue(patch.totp_secret) }),
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .execute()
}

/** Disabling ends every session and API token of the user at once. */
export async function setUserDisabled(
  db: Db,
  id: number,
  disabled: boolean,
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ disabled: disabled ? 1 : 0, updated_at: now.toISOString() })
      .where('id', '=', id)
      .execute()
    if (disabled) {
      await trx.deleteFrom('sessions').where('user_id', '=', id).execute()
      await trx
        .updateTable('api_tokens')
        .set({ revoked_at: now.toISOString() })
        .where('user_id', '=', id)
        .where('revoked_at', 'is', null)
        .execute()
      // a pending invitation dies with the account: its link must not even show the form
      await trx
        .updateTable('setup_tokens')
        .set({ expires_at: now.toISOString() })
        .where('purpose', '=', `user:${id}`)
        .where('used_at', 'is', null)
        .execute()
    }
  })
}

export async function countActiveAdmins(db: Db): Promise<number> {
  const r = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('disabled', '=', 0)
    .executeTakeFirstOrThrow()
  return Number(r.n)
}
