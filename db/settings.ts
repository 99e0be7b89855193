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
