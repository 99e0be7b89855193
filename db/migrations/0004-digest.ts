// Digest recipients and the per-(recipient, period) ledger of sent digests (issue 7).
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const id = (t: any) =>
    dialect === 'sqlite'
      ? t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement())
      : t.addColumn('id', 'serial', (c: any) => c.primaryKey())

  await id(db.schema.createTable('digest_recipients'))
    .addColumn('email', 'text', (c: any) => c.notNull().unique())
    .addColumn('lang', 'text', (c: any) => c.notNull().defaultTo('fr'))
    .addColumn('send_time', 'text', (c: any) => c.notNull().defaultTo('08:00'))
    .addColumn('timezone', 'text', (c: any) => c.notNull())
    .addColumn('brand_ids', 'text', (c: any) => c.notNull().defaultTo('[]'))
    .addColumn('weekly', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('enabled', 'integer', (c: any) => c.notNull().defaultTo(1))
    .addColumn('unsubscribed_at', 'text')
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .execute()

  await id(db.schema.createTable('digests'))
    .addColumn('recipient_id', 'integer', (c: any) =>
      c.notNull().references('digest_recipients.id').onDelete('cascade'),
    )
    .addColumn('period', 'text', (c: any) => c.notNull())
    .addColumn('due_at', 'text', (c: any) => c.notNull())
    .addColumn('status', 'text', (c: any) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c: any) => c.notNull())
    .addColumn('claimed_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('message_id', 'text', (c: any) => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .addUniqueConstraint('digests_recipient_period', ['recipient_id', 'period'])
    .execute()
  await db.schema
    .createIndex('digests_due')
    .on('digests')
    .columns(['status', 'next_attempt_at'])
    .execute()
}
