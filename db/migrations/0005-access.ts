// Access: users, sessions, API tokens, setup links, audit log, answers, daily aggregates.
// Not shipped yet: may still change until release.
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const id = (t: any) =>
    dialect === 'sqlite'
      ? t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement())
      : t.addColumn('id', 'serial', (c: any) => c.primaryKey())

  await id(db.schema.createTable('users'))
    .addColumn('email', 'text', (c: any) => c.notNull().unique())
    .addColumn('name', 'text', (c: any) => c.notNull())
    .addColumn('role', 'text', (c: any) => c.notNull())
    .addColumn('password_hash', 'text')
    .addColumn('totp_secret', 'text')
    .addColumn('totp_enabled', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('totp_last_step', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('recovery_codes', 'text', (c: any) => c.notNull().defaultTo('[]'))
    .addColumn('disabled', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('last_sign_in_at', 'text')
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .execute()

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c: any) => c.primaryKey())
    .addColumn('user_id', 'integer', (c: any) =>
      c.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('stage', 'text', (c: any) => c.notNull())
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('last_seen_at', 'text', (c: any) => c.notNull())
    .addColumn('ip', 'text', (c: any) => c.notNull())
    .addColumn('user_agent', 'text', (c: any) => c.notNull())
    .execute()
  await db.schema.createIndex('sessions_user').on('sessions').columns(['user_id']).execute()

  await id(db.schema.createTable('api_tokens'))
    .addColumn('user_id', 'integer', (c: any) =>
      c.notNull().references('users.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (c: any) => c.notNull())
    .addColumn('scope', 'text', (c: any) => c.notNull())
    .addColumn('token_hash', 'text', (c: any) => c.notNull().unique())
    .addColumn('prefix', 'text', (c: any) => c.notNull())
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute()

  await id(db.schema.createTable('setup_tokens'))
    .addColumn('token_hash', 'text', (c: any) => c.notNull().unique())
    .addColumn('purpose', 'text', (c: any) => c.notNull())
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('expires_at', 'text', (c: any) => c.notNull())
    .addColumn('used_at', 'text')
    .execute()

  await id(db.schema.createTable('audit_log'))
    .addColumn('at', 'text', (c: any) => c.notNull())
    .addColumn('user_id', 'integer')
    .addColumn('actor', 'text', (c: any) => c.notNull())
    .addColumn('action', 'text', (c: any) => c.notNull())
    .addColumn('method', 'text', (c: any) => c.notNull())
    .addColumn('path', 'text', (c: any) => c.notNull())
    .addColumn('outcome', 'text', (c: any) => c.notNull())
    .addColumn('detail', 'text', (c: any) => c.notNull().defaultTo('{}'))
    .addColumn('ip', 'text', (c: any) => c.notNull())
    .execute()
  await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at']).execute()

  await id(db.schema.createTable('answers'))
    .addColumn('mention_id', 'integer', (c: any) =>
      c.notNull().references('mentions.id').onDelete('cascade'),
    )
    .addColumn('body', 'text', (c: any) => c.notNull())
    .addColumn('status', 'text', (c: any) => c.notNull().defaultTo('draft'))
    .addColumn('author_id', 'integer', (c: any) => c.notNull())
    .addColumn('updated_by', 'integer', (c: any) => c.notNull())
    .addColumn('approved_by', 'integer')
    .addColumn('approved_at', 'text')
    .addColumn('published_url', 'text')
    .addColumn('published_at', 'text')
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .execute()
  await db.schema.createIndex('answers_mention').on('answers').columns(['mention_id']).execute()

  await db.schema
    .createTable('daily_counts')
    .addColumn('brand_id', 'integer', (c: any) =>
      c.notNull().references('brands.id').onDelete('cascade'),
    )
    .addColumn('day', 'text', (c: any) => c.notNull())
    .addColumn('label', 'text', (c: any) => c.notNull())
    .addColumn('count', 'integer', (c: any) => c.notNull())
    .addPrimaryKeyConstraint('daily_counts_pk', ['brand_id', 'day', 'label'])
    .execute()
}
