// Everything SQLite-only lives here: connection pragmas and the FTS5 full-text index. The rest of
// db/ speaks Kysely's dialect-neutral builder so the same code can run on Postgres.
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely'
import SQLite from 'better-sqlite3'

export function openSqlite(path: string): SQLite.Database {
  const raw = new SQLite(path)
  // WAL lets the dashboard read while the poller writes; NORMAL sync is safe under WAL.
  raw.pragma('journal_mode = WAL')
  raw.pragma('synchronous = NORMAL')
  raw.pragma('foreign_keys = ON')
  raw.pragma('busy_timeout = 5000')
  raw.pragma('cache_size = -32000')
  raw.pragma('temp_store = MEMORY')
  return raw
}

/** External-content FTS5 index over mentions, kept in sync by triggers; accent-insensitive. */
export async function createMentionsFts(db: Kysely<any>): Promise<void> {
  await sql`create virtual table mentions_fts using fts5(
    title, text, author,
    content='mentions', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2'
  )`.execute(db)
  await sql`create trigger mentions_fts_ai after insert on mentions begin
    insert into mentions_fts(rowid, title, text, author) values (new.id, new.title, new.text, new.author);
  end`.execute(db)
  await sql`create trigger mentions_fts_ad after delete on mentions begin
    insert into mentions_fts(mentions_fts, rowid, title, text, author) values ('delete', old.id, old.title, old.text, old.author);
  end`.execute(db)
  await sql`create trigger mentions_fts_au after update of title, text, author on mentions begin
    insert into mentions_fts(mentions_fts, rowid, title, text, author) values ('delete', old.id, old.title, old.text, old.author);
    insert into mentions_fts(rowid, title, text, author) values (new.id, new.title, new.text, new.author);
  end`.execute(db)
}

/**
 * Turns what a user types into a safe FTS5 query: each word becomes a quoted prefix term, so
 * operators and quotes in user input can never produce an FTS syntax error.
 */
export function toFtsQuery(input: string): string | null {
  const words = input.normalize('NFC').match(/[\p{L}\p{N}][\p{L}\p{N}'’_-]*/gu) ?? []
  if (!words.length) return null
  return words.map((w) => `"${w.replace(/"/g, '""')}"*`).join(' ')
}

/** A where-clause expression: mention `mentions.id` matches the full-text query. */
export function ftsMatch(dialect: 'sqlite' | 'postgres', q: string): Expression<SqlBool> | null {
  if (dialect === 'postgres') {
    const words = q.match(/[\p{L}\p{N}]+/gu)
    if (!words?.length) return null
    return sql<SqlBool>`to_tsvector('simple', mentions.title || ' ' || mentions.text) @@ to_tsquery('simple', ${words.map((w) => w + ':*').join(' & ')})`
  }
  const fts = toFtsQuery(q)
  if (!fts) return null
  return sql<SqlBool>`mentions.id in (select rowid from mentions_fts where mentions_fts match ${fts})`
}
