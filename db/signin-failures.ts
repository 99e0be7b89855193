// Failed sign-in counts per key (account or client address), shared by every process on the
// database. The delay policy is server/auth/rate-limit.ts; this is only the storage.
import { sql } from 'kysely'
import type { Db } from '.'

export interface FailureCount {
  key: string
  failures: number
  last_at: string
}

/** The counts of these keys whose last failure is at or after `since` (older ones are forgiven). */
export async function failureCounts(db: Db, keys: string[], since: Date): Promise<FailureCount[]> {
  if (!keys.length) return []
  return db
    .selectFrom('signin_failures')
    .select(['key', 'failures', 'last_at'])
    .where('key', 'in', keys)
    .where('last_at', '>=', since.toISOString())
    .execute()
}

/**
 * One more failure on each key, in one statement per key so that two processes counting at once
 * both count. A count whose last failure is before `since` starts again from one.
 */
export async function addFailure(db: Db, keys: string[], now: Date, since: Date): Promise<void> {
  for (const key of keys)
    await db
      .insertInto('signin_failures')
      .values({ key, failures: 1, last_at: now.toISOString() })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          failures: sql<number>`case when signin_failures.last_at < ${since.toISOString()} then 1 else signin_failures.failures + 1 end`,
          last_at: (eb) => eb.ref('excluded.last_at'),
        }),
      )
      .execute()
}

export async function clearFailures(db: Db, keys: string[]): Promise<void> {
  if (keys.length) await db.deleteFrom('signin_failures').where('key', 'in', keys).execute()
}

/** Drops the counts nobody has added to since `before`; returns how many. */
export async function pruneFailures(db: Db, before: Date): Promise<number> {
  const res = await db
    .deleteFrom('signin_failures')
    .where('last_at', '<', before.toISOString())
    .executeTakeFirst()
  return Number(res.numDeletedRows)
}
