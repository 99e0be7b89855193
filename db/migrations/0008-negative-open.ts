// Frozen once shipped: the negative mentions awaiting an answer per hour (mention_hourly.neg_open),
// so the dashboard's "awaiting an answer" tile counts what the digest counts (negative, new or in
// progress) from the same trigger-kept aggregates as its other figures. Adds the column, fills it
// from the stored mentions in one grouped pass, and redefines the aggregate triggers of 0002 with
// the new column (their other statements unchanged). Idempotent only through the migrator.
import { sql, type Kysely } from 'kysely'

// Copied from 0002 (a frozen migration does not import another): the effective label, what
// "open" means, and the host of a URL for the per-domain counts.
const label = (r: string) => `coalesce(${r}.manual_label, ${r}.sentiment_label)`
const isOpen = (r: string) => `(${r}.status in ('new', 'in_progress'))`

function hostExpr(r: string): string {
  const rest = `substr(${r}.url, instr(${r}.url, '://') + 3)`
  const cut = `(case when instr(${rest}, '/') > 0 then substr(${rest}, 1, instr(${rest}, '/') - 1) else ${rest} end)`
  const host = `lower(case when instr(${cut}, ':') > 0 then substr(${cut}, 1, instr(${cut}, ':') - 1) else ${cut} end)`
  return `(case when ${host} like 'www.%' then substr(${host}, 5) else ${host} end)`
}

function hourlyUpsert(r: string, sign: 1 | -1): string {
  const c = (cond: string) => `(case when ${cond} then ${sign} else 0 end)`
  return `insert into mention_hourly (hour, brand_id, source_id, n, pos, neu, neg, open, neg_open)
    values (substr(${r}.published_at, 1, 13), ${r}.brand_id, ${r}.source_id, ${sign},
      ${c(`${label(r)} = 'positive'`)}, ${c(`${label(r)} = 'neutral'`)}, ${c(`${label(r)} = 'negative'`)},
      ${c(isOpen(r))}, ${c(`${label(r)} = 'negative' and ${isOpen(r)}`)})
    on conflict (hour, brand_id, source_id) do update set n = n + excluded.n, pos = pos + excluded.pos,
      neu = neu + excluded.neu, neg = neg + excluded.neg, open = open + excluded.open,
      neg_open = neg_open + excluded.neg_open;`
}

function domainUpsert(r: string, sign: 1 | -1): string {
  return `insert into mention_domains_daily (day, brand_id, domain, n, neg)
    values (substr(${r}.published_at, 1, 10), ${r}.brand_id, ${hostExpr(r)}, ${sign},
      (case when ${label(r)} = 'negative' then ${sign} else 0 end))
    on conflict (day, brand_id, domain) do update set n = n + excluded.n, neg = neg + excluded.neg;`
}

export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema
    .alterTable('mention_hourly')
    .addColumn('neg_open', 'integer', (c: any) => c.notNull().defaultTo(0))
    .execute()
  // One grouped pass over the mentions (an update per hourly row would read them row by row).
  await sql
    .raw(
      `update mention_hourly set neg_open = g.c
       from (select substr(m.published_at, 1, 13) as hour, m.brand_id, m.source_id, count(*) as c
             from mentions m where ${label('m')} = 'negative' and ${isOpen('m')}
             group by 1, 2, 3) as g
       where g.hour = mention_hourly.hour and g.brand_id = mention_hourly.brand_id
         and g.source_id = mention_hourly.source_id`,
    )
    .execute(db)
  if (dialect === 'postgres') return postgresTrigger(db)
  for (const name of ['mentions_agg_ai', 'mentions_agg_ad', 'mentions_agg_au'])
    await sql.raw(`drop trigger if exists ${name}`).execute(db)
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

// The trigger of 0002 calls mentions_agg(): replacing the function is enough.
async function postgresTrigger(db: Kysely<any>): Promise<void> {
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
}

function pgUpsert(r: string, sign: 1 | -1): string {
  const qual = (s: string, table: string) =>
    s
      .replaceAll('instr(', 'strpos(')
      .replace(/set ([\s\S]*)$/, (m) =>
        m.replace(/(\b(?:n|pos|neu|neg|open|neg_open)) = \1 \+/g, `$1 = ${table}.$1 +`),
      )
  return (
    qual(hourlyUpsert(r, sign), 'mention_hourly') +
    qual(domainUpsert(r, sign), 'mention_domains_daily')
  )
}
