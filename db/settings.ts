// Instance-wide key/value settings (retention, instance secret…).
import { randomBytes } from 'node:crypto'
import type { Db } from '.'

export async function getSetting(db: Db, key: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst()
  return row?.value
}

export async function setSetting(db: Db, key: string, value: string): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute()
}

/** A random per-instance key (keyed hashes of exclusions); created on first use and kept. */
export async function instanceSecret(db: Db): Promise<string> {
  const existing = await getSetting(db, 'instance_secret')
  if (existing) return existing
  await db
    .insertInto('settings')
    .values({ key: 'instance_secret', value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.doNothing())
    .execute()
  return (await getSetting(db, 'instance_secret'))!
}

/**
 * Holds the lock `name` until the caller's transaction ends. A job that several processes on one
 * Postgres run at the same moment takes it first; the others wait here, and their next statements
 * (read committed) see what the first one committed. A row of this table rather than an advisory
 * lock: the same code serializes on SQLite, where it is one more write in the transaction.
 */
export async function takeLock(trx: Db, name: string, now: Date): Promise<void> {
  const value = now.toISOString()
  await trx
    .insertInto('settings')
    .values({ key: `lock:${name}`, value })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
    .execute()
}
