// Frozen once shipped: triage history (mention_events), the dashboard's aggregates kept by triggers
// (hourly counts by sentiment, daily counts by domain, engagement), and indexes for the feed's
// filters. SQLite is the measured target (1M mentions, see bench/dashboard.bench.ts); on Postgres
// the same tables are created and filled by equivalent plpgsql triggers.
import { sql, type Kysely } from 'kysely'

// Effective label: a teammate's correction wins over the machine's.
const label = (r: string) => `coalesce(${r}.manual_label, ${r}.sentiment_label)`
const isOpen = (r: string) => `(${r}.status in ('new', 'in_progress'))`

// Host name of a URL without "www.", in plain SQL so the triggers need no custom function.
function hostExpr(r: string): string {
  const rest = `substr(${r}.url, instr(${r}.url, '://') + 3)`
  const cut = `(case when instr(${rest}, '/') > 0 then substr(${rest}, 1, instr(${rest}, '/') - 1) else ${rest} end)`
  const host = `lower(case when instr(${cut}, ':') > 0 then substr(${cut}, 1, instr(${cut}, ':') - 1) else ${cut} end)`
  return `(case when ${host} like 'www.%' then substr(${host}, 5) else ${host} end)`
}

function hourlyUpsert(r: string, sign: 1 | -1): string {
  const c = (cond: string) => `(case when ${cond} then ${sign} else 0 end)`
  return `insert into mention_hourly (hour, brand_id, source_id, n, pos, neu, neg, open)
    values (substr(${r}.published_at, 1, 13), ${r}.brand_id, ${r}.source_id, ${sign},
      ${c(`${label(r)} = 'positive'`)}, ${c(`${label(r)} = 'neutral'`)}, ${c(`${label(r)} = 'negative'`)},
      ${c(isOpen(r))})
    on conflict (hour, brand_id, source_id) do update set n = n + excluded.n, pos = pos + excluded.pos,
      neu = neu + excluded.neu, neg = neg + excluded.neg, open = open + excluded.open;`
}

function domainUpsert(r: string, sign: 1 | -1): string {
  return `insert into mention_domains_daily (day, brand_id, domain, n, neg)
    values (substr(${r}.published_at, 1, 10), ${r}.brand_id, ${hostExpr(r)}, ${sign},
      (case when ${label(r)} = 'negative' then ${sign} else 0 end))
    on conflict (day, brand_id, domain) do update set n = n + excluded.n, neg = neg + excluded.neg;`
}

export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  const idCol = (t: any) =>
    dialect === 'sqlite'
      ? t.addColumn('id', 'integer', (c: any) => c.primaryKey().autoIncrement())
      : t.addColumn('id', 'serial', (c: any) => c.primaryKey())

  await idCol(db.schema.createTable('mention_events'))
    .addColumn('mention_id', 'integer', (c: any) =>
      c.notNull().references('mentions.id').onDelete('cascade'),
    )
    .addColumn('at', 'text', (c: any) => c.notNull())
    .addColumn('actor', 'text', (c: any) => c.notNull())
    .addColumn('field', 'text', (c: any) => c.notNull())
    .addColumn('old_value', 'text')
    .addColumn('new_value', 'text')
    .execute()
  await db.schema
    .createIndex('mention_events_mention')
    .on('mention_events')
    .columns(['mention_id', 'at'])
    .execute()

  await db.schema
    .createTable('mention_hourly')
    .addColumn('hour', 'text', (c: any) => c.notNull())
    .addColumn('brand_id', 'integer', (c: any) => c.notNull())
    .addColumn('source_id', 'integer', (c: any) => c.notNull())
    .addColumn('n', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('pos', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('neu', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('neg', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('open', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('mention_hourly_pk', ['hour', 'brand_id', 'source_id'])
    .execute()
  await db.schema
    .createIndex('mention_hourly_brand')
    .on('mention_hourly')
    .columns(['brand_id', 'hour'])
    .execute()

  await db.schema
    .createTable('mention_domains_daily')
    .addColumn('day', 'text', (c: any) => c.notNull())
    .addColumn('brand_id', 'integer', (c: any) => c.notNull())
    .addColumn('domain', 'text', (c: any) => c.notNull())
    .addColumn('n', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addColumn('neg', 'integer', (c: any) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('mention_domains_daily_pk', ['day', 'brand_id', 'domain'])
    .execute()

  await db.schema
    .createTable('mention_engagement')
    .addColumn('mention_id', 'integer', (c: any) => c.primaryKey())
    .addColumn('brand_id', 'integer', (c: any) => c.notNull())
    .addColumn('published_at', 'text', (c: any) => c.notNull())
    .addColumn('engagement', 'real', (c: any) => c.notNull())
    .execute()
  // Scanned from the top: the most engaged mentions of a range are found in a few index entries.
  await db.schema
    .createIndex('mention_engagement_top')
    .on('mention_engagement')
    .columns(['engagement', 'published_at', 'brand_id'])
    .execute()

  // Feed filters that would otherwise walk the whole published_at index.
  await db.schema
    .createIndex('mentions_status_feed')
    .on('mentions')
    .columns(['status', 'published_at', 'id'])
    .execute()
  await db.schema
    .createIndex('mentions_source_feed')
    .on('mentions')
    .columns(['source_id', 'published_at', 'id'])
    .execute()
  await db.schema
    .createIndex('mentions_author')
    .on('mentions')
    .columns(['author', 'published_at'])
    .execute()

  if (dialect === 'postgres') {
    await postgresTriggers(db)
    await db.schema
      .createIndex('mentions_manual')
      .on('mentions')
      .column('manual_label_at')
      .where(sql.ref('manual_label'), 'is not', null)
      .execute()
    return
  }
  // Agreement with the team: only corrected mentions are read.
  await sql`create index mentions_manual on mentions (manual_label_at) where manual_label is not null`.execute(
    db,
  )
  const engagementInsert = `insert into mention_engagement (mention_id, brand_id, published_at, engagement)
    select new.id, new.brand_id, new.published_at, coalesce(sum(value), 0) from json_each(new.metrics)
    where key not in ('followers', 'rating') and type in ('integer', 'real');`
  await sql
    .raw(
      `create trigger mentions_agg_ai after insert on mentions begin
        ${hourlyUpsert('new', 1)}
        ${domainUpsert('new', 1)}
      end`,
    )
    .execute(db)
  await sql
    .raw(
      `create trigger mentions_eng_ai after insert on mentions when new.metrics is not null and json_valid(new.metrics) begin
        ${engagementInsert}
      end`,
    )
    .execute(db)
  await sql
    .raw(
      `create trigger mentions_agg_ad after delete on mentions begin
        ${hourlyUpsert('old', -1)}
        ${domainUpsert('old', -1)}
        delete from mention_engagement where mention_id = old.id;
      end`,
    )
    .execute(db)
  await sql
    .raw(
      `create trigger mentions_agg_au after update of manual_label, sentiment_label, status, published_at, brand_id, source_id on mentions
       when ${label('old')} is not ${label('new')} or ${isOpen('old')} <> ${isOpen('new')}
         or old.published_at <> new.published_at or old.brand_id <> new.brand_id or old.source_id <> new.source_id
       begin
        ${hourlyUpsert('old', -1)}
        ${hourlyUpsert('new', 1)}
        ${domainUpsert('old', -1)}
        ${domainUpsert('new', 1)}
      end`,
    )
    .execute(db)
}

async function postgresTriggers(db: Kysely<any>): Promise<void> {
  await sql
    .raw(
      `create or replace function mentions_agg() returns trigger as $$
      begin
        if (tg_op = 'DELETE' or tg_op = 'UPDATE') then
          ${pgUpsert('old', -1)}
        end if;
        if (tg_op = 'INSERT' or tg_op = 'UPDATE') then
          ${pgUpsert('new', 1)}
          if (tg_op = 'INSERT' and new.metrics is not null) then
            insert into mention_engagement (mention_id, brand_id, published_at, engagement)
            select new.id, new.brand_id, new.published_at, coalesce(sum(value::numeric), 0)
            from jsonb_each_text(new.metrics::jsonb) where key not in ('followers', 'rating') and value ~ '^-?[0-9.]+$';
          end if;
        end if;
        if (tg_op = 'DELETE') then
          delete from mention_engagement where mention_id = old.id;
          return old;
        end if;
        return new;
      end $$ language plpgsql`,
    )
    .execute(db)
  await sql
    .raw(
      `create trigger mentions_agg after insert or delete or update of manual_label, sentiment_label, status, published_at, brand_id, source_id
       on mentions for each row execute function mentions_agg()`,
    )
    .execute(db)
}

function pgUpsert(r: string, sign: 1 | -1): string {
  const qual = (s: string, table: string) =>
    s
      .replaceAll('instr(', 'strpos(')
      .replace(/set ([\s\S]*)$/, (m) =>
        m.replace(/(\b(?:n|pos|neu|neg|open)) = \1 \+/g, `$1 = ${table}.$1 +`),
      )
  return (
    qual(hourlyUpsert(r, sign), 'mention_hourly') +
    qual(domainUpsert(r, sign), 'mention_domains_daily')
  )
}
