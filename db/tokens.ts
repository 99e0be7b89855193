// API tokens (scoped, stored hashed, shown once, revocable, last use recorded) and one-time setup
// links (hashed, single use, expiring).
import type { Db } from '.'
import { newApiToken, randomToken, sha256 } from '../server/auth/tokens'
import type { ApiToken, User } from './schema-access'

export const SETUP_LINK_TTL_MS = 24 * 3600 * 1000

export async function createApiToken(
  db: Db,
  userId: number,
  input: { name: string; scope: string },
  now: Date,
): Promise<{ token: string; row: ApiToken }> {
  const token = newApiToken()
  const row = await db
    .insertInto('api_tokens')
    .values({
      user_id: userId,
      name: input.name.trim().slice(0, 100) || input.scope,
      scope: input.scope,
      token_hash: sha256(token),
      prefix: token.slice(0, 10),
      created_at: now.toISOString(),
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  return { token, row }
}

export async function resolveApiToken(
  db: Db,
  token: string,
  now: Date,
): Promise<{ token: ApiToken; user: User } | undefined> {
  const row = await db
    .selectFrom('api_tokens')
    .selectAll()
    .where('token_hash', '=', sha256(token))
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  if (!row) return undefined
  const user = await db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', row.user_id)
    .executeTakeFirst()
  if (!user || user.disabled) return undefined
  // "Last used" to the minute: a script polling the API does not write on every request.
  if (!row.last_used_at || now.getTime() - Date.parse(row.last_used_at) > 60_000) {
    await db
      .updateTable('api_tokens')
      .set({ last_used_at: now.toISOString() })
      .where('id', '=', row.id)
      .execute()
  }
  return { token: row, user }
}

/**
 * Whose token a refused one was: a revoked token, or one whose owner is disabled (undefined for a
 * token Vigie never issued). A leaked token still in use after its revocation is worth knowing.
 */
export async function refusedTokenOwner(
  db: Db,
  token: string,
): Promise<
  { tokenId: number; userId: number; email: string; reason: 'revoked' | 'disabled' } | undefined
> {
  const row = await db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['api_tokens.id', 'api_tokens.revoked_at', 'users.id as user_id', 'users.email'])
    .where('token_hash', '=', sha256(token))
    .executeTakeFirst()
  if (!row) return undefined
  return {
    tokenId: row.id,
    userId: row.user_id,
    email: row.email,
    reason: row.revoked_at ? 'revoked' : 'disabled',
  }
}

export async function listApiTokens(db: Db, userId: number): Promise<ApiToken[]> {
  return db
    .selectFrom('api_tokens')
    .selectAll()
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute()
}

/** Every token still valid, with its owner: what an admin can revoke (a leaked token, say). */
export async function listActiveTokens(
  db: Db,
): Promise<(ApiToken & { owner_email: string; owner_name: string })[]> {
  return db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .selectAll('api_tokens')
    .select(['users.email as owner_email', 'users.name as owner_name'])
    .where('api_tokens.revoked_at', 'is', null)
    .where('users.disabled', '=', 0)
    .orderBy('users.email')
    .orderBy('api_tokens.created_at', 'desc')
    .execute()
}

/** An admin's revocation, whoever owns the token; its owner, or undefined if it was not active. */
export async function revokeAnyToken(db: Db, id: number, now: Date): Promise<number | undefined> {
  const row = await db
    .updateTable('api_tokens')
    .set({ revoked_at: now.toISOString() })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .returning('user_id')
    .executeTakeFirst()
  return row?.user_id
}

export async function revokeApiToken(
  db: Db,
  id: number,
  userId: number,
  now: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('api_tokens')
    .set({ revoked_at: now.toISOString() })
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) > 0
}

/**
 * purpose: 'first-admin', or 'user:<id>' for an invitation to set a password. A new invitation
 * link replaces the person's earlier unused one: an admin renews an invitation because the first
 * link went astray, so that one must stop working. (Each process starting on an empty database
 * prints its own first-admin link; those all stay valid until one is used.)
 */
export async function createSetupToken(
  db: Db,
  now: Date,
  purpose = 'first-admin',
): Promise<string> {
  const token = randomToken(24)
  if (purpose.startsWith('user:'))
    await db
      .updateTable('setup_tokens')
      .set({ expires_at: now.toISOString() })
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now.toISOString())
      .execute()
  await db
    .insertInto('setup_tokens')
    .values({
      token_hash: sha256(token),
      purpose,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + SETUP_LINK_TTL_MS).toISOString(),
    })
    .execute()
  return token
}

const findSetupToken = (db: Db, token: string) =>
  db
    .selectFrom('setup_tokens')
    .selectAll()
    .where('token_hash', '=', sha256(token))
    .executeTakeFirst()

/** The link's purpose while it is usable (unused, not expired), else undefined. */
export async function setupTokenPurpose(
  db: Db,
  token: string,
  now: Date,
): Promise<string | undefined> {
  const row = await findSetupToken(db, token)
  return row && !row.used_at && row.expires_at > now.toISOString() ? row.purpose : undefined
}

/** What a link was for, used or expired included (undefined for a link that never existed). */
export async function setupTokenKind(db: Db, token: string): Promise<string | undefined> {
  return (await findSetupToken(db, token))?.purpose
}

/** Marks the link used; false if it was not valid (already used, expired, unknown). */
export async function consumeSetupToken(db: Db, token: string, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('setup_tokens')
    .set({ used_at: now.toISOString() })
    .where('token_hash', '=', sha256(token))
    .where('used_at', 'is', null)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}
