// Everything SQLite-only lives here: connection pragmas and the FTS5 full-text index. The rest of
// db/ speaks Kysely's dialect-neutral builder so the same code can run on Postgres.
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely'
import SQLite from 'better-sqlite3'
import { searchWords } from '../server/text'

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
export function toFtsQuery(words: string[], join = ' '): string | null {
  if (!words.length) return null
  const term = (w: string) => `"${w.replace(/"/g, '""')}"*`
  return words
    .map((w) => {
      // FTS5's tokenizer drops accents but keeps œ and æ: "oeuvre" and "Œuvre" both look for
      // both spellings
      const plain = w.toLowerCase().replace(/œ/g, 'oe').replace(/æ/g, 'ae')
      const lig = plain.replace(/oe/g, 'œ').replace(/ae/g, 'æ')
      return lig === plain ? term(w) : `(${term(plain)} OR ${term(lig)})`
    })
    .join(join)
}

// Above this many full-text hits the feed walks its time index and tests each row against the
// hit list, instead of looking every hit up by id and sorting them all: a word in a quarter of a
// million mentions took 540 ms the second way and takes ~50 ms the first, while a rare word
// (a few hits) stays under a millisecond the second way and would scan the whole index the first.
const DENSE_HITS = 2000

/**
 * A where-clause expression: mention `mentions.id` matches the full-text query. On SQLite it
 * first counts hits up to DENSE_HITS (a bounded read of the FTS index) to pick the plan.
 */
export async function ftsMatch(
  db: Kysely<any>,
  dialect: 'sqlite' | 'postgres',
  q: string,
): Promise<Expression<SqlBool> | null> {
  const { include, exclude } = searchWords(q)
  if (dialect === 'postgres') {
    const lexemes = (ws: string[], neg: boolean) =>
      ws.flatMap((w) => w.match(/[\p{L}\p{N}]+/gu) ?? []).map((w) => `${neg ? '!' : ''}${w}:*`)
    const terms = [...lexemes(include, false), ...lexemes(exclude, true)]
    if (!terms.length) return null
    // mentions.search holds the folded words (migration 0007); the query is folded the same way
    return sql<SqlBool>`mentions.search @@ to_tsquery('simple', vigie_fold(${terms.join(' & ')}))`
  }
  // words to leave out: the rows any of them hits are removed (FTS5's NOT needs a left side)
  const without = toFtsQuery(exclude, ' OR ')
  const notHit = without
    ? sql<SqlBool>`mentions.id not in (select rowid from mentions_fts where mentions_fts match ${without})`
    : null
  const fts = toFtsQuery(include)
  if (!fts) return notHit
  const hits = sql`select rowid from mentions_fts where mentions_fts match ${fts}`
  const probe = sql<{ n: number }>`select count(*) as n from (${hits} limit ${DENSE_HITS})`
  const { rows } = await probe.execute(db)
  // unary + keeps SQLite from driving the query by the hit list (it then orders by the feed index)
  const match =
    Number(rows[0]?.n ?? 0) >= DENSE_HITS
      ? sql<SqlBool>`+mentions.id in (${hits})`
      : sql<SqlBool>`mentions.id in (${hits})`
  return notHit ? sql<SqlBool>`(${match} and ${notHit})` : match
}
