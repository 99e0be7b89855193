// Frozen once shipped: failed sign-in attempts per key (account or client address) in the database
// instead of each process's memory, so the growing delay holds across a restart and across the
// several processes that may share one Postgres (issue 8: access guarded like a company's social
// accounts).
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('signin_failures')
    .addColumn('key', 'text', (c: any) => c.primaryKey())
    .addColumn('failures', 'integer', (c: any) => c.notNull())
    .addColumn('last_at', 'text', (c: any) => c.notNull())
    .execute()
  await db.schema
    .createIndex('signin_failures_last_at')
    .on('signin_failures')
    .column('last_at')
    .execute()
}
