// Frozen: the initial schema. Never edit a migration that has shipped; add a new one.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const id = (t: any) =>
    dialect === 'sqlite'
      ? t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement())
      : t.addColumn('id', 'serial', (c: any) => c.primaryKey())

  await id(db.schema.createTable('brands'))
    .addColumn('name', 'text', (c: any) => c.notNull().unique())
    .addColumn('query', 'text', (c: any) => c.notNull())
    .addColumn('vocabulary', 'text', (c: any) => c.notNull().defaultTo('{}'))
    .addColumn('active', 'integer', (c: any) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .execute()

  await id(db.schema.createTable('sources'))
    .addColumn('name', 'text', (c: any) => c.notNull().unique())
    .addColumn('kind', 'text', (c: any) => c.notNull())
    .addColumn('config', 'text', (c: any) => c.notNull())
    .addColumn('brand_id', 'integer', (c: any) => c.references('brands.id').onDelete('cascade'))
    .addColumn('interval_seconds', 'integer', (c: any) => c.notNull())
    .addColumn('enabled', 'integer', (c: any) => c.notNull().defaultTo(1))
    .addColumn('state', 'text', (c: any) => c.notNull().defaultTo('{}'))
    .addColumn('next_check_at', 'text', (c: any) => c.notNull())
    .addColumn('last_polled_at', 'text')
    .addColumn('last_ok_at', 'text')
    .addColumn('last_error', 'text')
    .addColumn('last_error_code', 'text')
    .addColumn('last_error_at', 'text')
    .addColumn('error_count', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('last_new_count', 'integer')
    .addColumn('last_item_count', 'integer')
    .addColumn('warning', 'text')
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .addColumn('updated_at', 'text', (c: any) => c.notNull())
    .execute()
  await db.schema
    .createIndex('sources_due')
    .on('sources')
    .columns(['enabled', 'next_check_at'])
    .execute()

  await id(db.schema.createTable('mentions'))
    .addColumn('brand_id', 'integer', (c: any) =>
      c.notNull().references('brands.id').onDelete('cascade'),
    )
    .addColumn('source_id', 'integer', (c: any) =>
      c.notNull().references('sources.id').onDelete('cascade'),
    )
    .addColumn('external_id', 'text', (c: any) => c.notNull())
    .addColumn('fold_hash', 'text', (c: any) => c.notNull())
    .addColumn('url', 'text', (c: any) => c.notNull())
    .addColumn('title', 'text', (c: any) => c.notNull())
    .addColumn('text', 'text', (c: any) => c.notNull())
    .addColumn('author', 'text')
    .addColumn('published_at', 'text', (c: any) => c.notNull())
    .addColumn('collected_at', 'text', (c: any) => c.notNull())
    .addColumn('lang', 'text', (c: any) => c.notNull())
    .addColumn('sentiment_score', 'real', (c: any) => c.notNull())
    .addColumn('sentiment_label', 'text', (c: any) => c.notNull())
    .addColumn('sentiment_scored', 'integer', (c: any) => c.notNull().defaultTo(1))
    .addColumn('manual_label', 'text')
    .addColumn('manual_label_by', 'text')
    .addColumn('manual_label_at', 'text')
    .addColumn('metrics', 'text')
    .addColumn('matched_terms', 'text', (c: any) => c.notNull().defaultTo('[]'))
    .addColumn('status', 'text', (c: any) => c.notNull().defaultTo('new'))
    .addColumn('assignee', 'text')
    .addColumn('note', 'text')
    .addColumn('answer_url', 'text')
    .execute()
  // One mention per brand per source item, and per brand per story (canonical URL / fold key).
  await db.schema
    .createIndex('mentions_source_item')
    .unique()
    .on('mentions')
    .columns(['brand_id', 'source_id', 'external_id'])
    .execute()
  await db.schema
    .createIndex('mentions_fold')
    .unique()
    .on('mentions')
    .columns(['brand_id', 'fold_hash'])
    .execute()
  // Keyset pagination of the feed, overall and per brand.
  await db.schema
    .createIndex('mentions_feed')
    .on('mentions')
    .columns(['published_at', 'id'])
    .execute()
  await db.schema
    .createIndex('mentions_brand_feed')
    .on('mentions')
    .columns(['brand_id', 'published_at', 'id'])
    .execute()
  await db.schema
    .createIndex('mentions_brand_collected')
    .on('mentions')
    .columns(['brand_id', 'collected_at'])
    .execute()

  await id(db.schema.createTable('exclusions'))
    .addColumn('brand_id', 'integer', (c: any) => c.references('brands.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c: any) => c.notNull())
    .addColumn('platform', 'text', (c: any) => c.notNull().defaultTo(''))
    .addColumn('value_hash', 'text', (c: any) => c.notNull())
    .addColumn('hint', 'text', (c: any) => c.notNull())
    .addColumn('created_at', 'text', (c: any) => c.notNull())
    .execute()
  await db.schema
    .createIndex('exclusions_lookup')
    .on('exclusions')
    .columns(['kind', 'value_hash'])
    .execute()

  await db.schema
    .createTable('settings')
    .addColumn('key', 'text', (c: any) => c.primaryKey())
    .addColumn('value', 'text', (c: any) => c.notNull())
    .execute()

  if (dialect === 'sqlite') {
    const { createMentionsFts } = await import('../sqlite')
    await createMentionsFts(db)
  } else {
    await sql`create index mentions_fts on mentions using gin (to_tsvector('simple', title || ' ' || text))`.execute(
      db,
    )
  }
}
