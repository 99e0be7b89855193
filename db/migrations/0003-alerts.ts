// Alerts, chat channels and the delivery outbox, and each brand's alert sensitivity. Not shipped
// yet: may still change until release.
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const id = (t: any) =>
    dialect === 'sqlite'
      ? t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement())
      : t.addColumn('id', 'serial', (c: any) => c.primaryKey())

  // Sensitivity preset of the spike detector per brand (server/spikes/presets.ts).
  await db.schema
    .alterTable('brands')
    .addColumn('sensitivity', 'text', (c: any) => c.notNull().defaultTo('balanced'))
    .execute()

  await id(db.schema.createTable('alerts'))
    .addColumn('brand_id', 'integer', (c: any) =>
      c.notNull().references('brands.id').onDelete('cascade'),
    )
    .addColumn('kind', 'text', (c: any) => c.notNull())
    .addColumn('status', 'text', (c: any) => c.notNull().defaultTo('open'))
    .addColumn('started_at', 'text', (c: any) => c.notNull())
    .addColumn('last_abnormal_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .addColumn('peak_at', 'text', (c: any) => c.notNull())
    .addColumn('peak_value', 'real', (c: any) => c.notNull())
    .addColumn('baseline', 'real', (c: any) => c.notNull())
    .addColumn('score', 'real', (c: any) => c.notNull())
    .addColumn('window_minutes', 'integer', (c: any) => c.notNull())
    .addColumn('acknowledged_by', 'text')
    .addColumn('acknowledged_at', 'text')
    .addColumn('resolved_by', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('summary', 'text', (c: any) => c.notNull().defaultTo('{}'))
    .execute()
  await db.schema
    .createIndex('alerts_brand_status')
    .on('alerts')
    .columns(['brand_id', 'status', 'started_at'])
    .execute()
  await db.schema.createIndex('alerts_started').on('alerts').columns(['started_at']).execute()
  // The banner on every page asks for the open alerts of all brands.
  await db.schema.createIndex('alerts_status').on('alerts').columns(['status']).execute()

  await id(db.schema.createTable('channels'))
    .addColumn('name', 'text', (c: any) => c.notNull().unique())
    .addColumn('kind', 'text', (c: any) => c.notNull())
    .addColumn('config', 'text', (c: any) => c.notNull())
    .addColumn('lang', 'text', (c: any) => c.notNull().defaultTo('fr'))
    .addColumn('brand_ids', 'text', (c: any) => c.notNull().defaultTo('[]'))
    .addColumn('alert_kinds', 'text', (c: any) => c.notNull().defaultTo('[]'))
    .addColumn('quiet_hours', 'text')
    .addColumn('enabled', 'integer', (c: any) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .execute()

  await id(db.schema.createTable('deliveries'))
    .addColumn('alert_id', 'integer', (c: any) => c.references('alerts.id').onDelete('cascade'))
    .addColumn('channel_id', 'integer', (c: any) =>
      c.notNull().references('channels.id').onDelete('cascade'),
    )
    .addColumn('event', 'text', (c: any) => c.notNull())
    .addColumn('status', 'text', (c: any) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c: any) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('idempotency_key', 'text', (c: any) => c.notNull().unique())
    .addColumn('remote_ref', 'text')
    .addColumn('detail', 'text')
    .addColumn('sent_at', 'text')
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .execute()
  await db.schema
    .createIndex('deliveries_due')
    .on('deliveries')
    .columns(['status', 'next_attempt_at'])
    .execute()
  await db.schema
    .createIndex('deliveries_alert')
    .on('deliveries')
    .columns(['alert_id', 'channel_id'])
    .execute()
}
