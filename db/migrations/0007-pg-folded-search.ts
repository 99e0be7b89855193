// Accent-insensitive feed search on Postgres, as SQLite's FTS5 index already is (remove_diacritics):
// vigie_fold() lower-cases, strips diacritics and expands ligatures; mentions.search holds the words
// of the folded title, text and author (the columns SQLite indexes), under a GIN index. The search
// folds the query with the same function, so both sides agree whatever the server's locale. No
// extension needed (unaccent is not always installable on managed Postgres). Nothing on SQLite.
//
// normalize() needs a UTF8 database; on another encoding vigie_fold() only lower-cases, which is
// the search as it was before (accents not folded) rather than a failure on every insert.
// Changing vigie_fold() later means recomputing mentions.search: the column stores its results.
import { sql, type Kysely } from 'kysely'

/** Letters without a decomposition, folded as server/text.ts does, and ligatures. */
const LETTERS: [string, string][] = [
  ['ø', 'o'],
  ['Ø', 'o'],
  ['ł', 'l'],
  ['Ł', 'l'],
  ['đ', 'd'],
  ['Đ', 'd'],
  ['ı', 'i'],
  ['ŀ', 'l'],
  ['Ŀ', 'l'],
  ['ħ', 'h'],
  ['Ħ', 'h'],
  ['ŧ', 't'],
  ['Ŧ', 't'],
]
const LIGATURES: [string, string][] = [
  ['œ', 'oe'],
  ['Œ', 'oe'],
  ['æ', 'ae'],
  ['Æ', 'ae'],
  ['ß', 'ss'],
  ['ẞ', 'ss'],
]
/** No-break and thin spaces, curly quotes, guillemets, ellipsis, dashes: word separators, also
 * in a database whose LC_CTYPE is C (where Postgres takes every non-ASCII character for a letter,
 * so that "l’œuvre" would be one word). */
const SEPARATORS = [
  ...'\u00a0\u2009\u202f\u2018\u2019\u201a\u201c\u201d\u201e\u00ab\u00bb\u2039\u203a\u2026\u2013\u2014',
]

const replaced = LIGATURES.reduce((e, [from, to]) => `replace(${e}, '${from}', '${to}')`, 's')
const translated = `translate(${replaced},
  '${LETTERS.map(([from]) => from).join('')}${SEPARATORS.join('')}',
  '${LETTERS.map(([, to]) => to).join('')}${' '.repeat(SEPARATORS.length)}')`
// lower() comes last: once the marks are gone, É is E, which lower() folds in any locale.
const FOLD = `lower(regexp_replace(normalize(${translated}, NFD), '[\u0300-\u036f]', '', 'g'))`

export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect !== 'postgres') return
  const { rows } = await sql<{
    encoding: string
  }>`select current_setting('server_encoding') as encoding`.execute(db)
  const body = rows[0]?.encoding === 'UTF8' ? FOLD : 'lower(s)'
  // language sql, immutable and not strict: Postgres inlines the body where it is used instead
  // of calling a function per row.
  await sql`create function vigie_fold(s text) returns text language sql immutable parallel safe
    as ${sql.raw(`$$ select ${body} $$`)}`.execute(db)
  // A stored column rather than an expression index: when the planner walks the feed's time index
  // and tests each row (a word it thinks common), reading a stored tsvector costs ~0.6 µs a row
  // where folding and parsing the text again cost ~50 µs (a 200k-row table: 118 ms against
  // 10.4 s for a query with no hit). Not in db/schema.ts: SQLite has no such column.
  await sql`alter table mentions add column search tsvector generated always as
    (to_tsvector('simple', vigie_fold(title || ' ' || text || ' ' || coalesce(author, '')))) stored`.execute(
    db,
  )
  await sql`create index mentions_search on mentions using gin (search)`.execute(db)
  // the index over the unfolded title and text: nothing reads it any more
  await sql`drop index mentions_fts`.execute(db)
}
