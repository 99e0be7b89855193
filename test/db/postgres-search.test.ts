// The feed search on Postgres folds accents and ligatures both ways, as SQLite's FTS5 does:
// "electricite" finds "électricité" and "électricité" finds "ELECTRICITE"; prefixes and words left
// out with a minus keep working, and the folded GIN index (migration 0007) is the one read.
// Runs when TEST_DATABASE_URL points at a throw-away Postgres database (CI starts one); skipped
// otherwise. Uses its own database.
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type OpenDb } from '../../db'
import { insertBrand } from '../../db/brands'
import { listMentions } from '../../db/mentions'
import { insertSource } from '../../db/sources'
import { ftsMatch } from '../../db/sqlite'
import { ingest } from '../../server/pipeline'
import { scratchDatabase, type ScratchDatabase } from '../helpers/postgres'

const url = process.env.TEST_DATABASE_URL
const now = new Date('2026-11-22T12:00:00Z')

const items = [
  ['elec', 'Acme : coupure d’électricité à Lyon', 'Plus de courant depuis hier.', null],
  ['ELEC', 'ACME ELECTRICITE', 'en majuscules, sans accents', null],
  ['societe', 'Acme et la Société Générale', 'partenariat', null],
  ['oeuvre', 'Acme finance une œuvre', 'Une belle œuvre.', null],
  ['noir', 'Acme', 'L’Œuvre au noir, ex æquo', null],
  ['plain', 'Acme oeuvre sans ligature', 'societe sans accent', null],
  ['author', 'Acme', 'rien à voir', 'Zoë Électre'],
] as const

describe.skipIf(!url)('feed search on Postgres, accents folded', () => {
  let scratch: ScratchDatabase
  let pg: OpenDb
  const ids = new Map<string, number>()

  beforeAll(async () => {
    scratch = await scratchDatabase(url!, 'search')
    pg = await openDatabase({ kind: 'postgres', url: scratch.url })
    await insertBrand(pg.db, { name: 'Acme', query: 'Acme' }, now)
    const src = await insertSource(
      pg.db,
      { name: 'feed', kind: 'rss', config: { url: 'https://f.example' }, intervalSeconds: 900 },
      now,
    )
    const stored = await ingest(
      pg.db,
      src,
      items.map(([id, title, text, author], i) => ({
        externalId: id,
        url: `https://f.example/${id}`,
        title,
        text,
        author: author ?? undefined,
        publishedAt: new Date(now.getTime() - i * 60_000).toISOString(),
      })),
      now,
    )
    expect(stored.newMentions).toHaveLength(items.length)
    for (const m of await pg.db.selectFrom('mentions').select(['id', 'external_id']).execute())
      ids.set(m.external_id, m.id)
  })
  afterAll(async () => {
    await pg?.close()
    await scratch.drop()
  })

  const all = items.map(([id]) => id)
  const cases: [q: string, found: string[]][] = [
    ['electricite', ['elec', 'ELEC']],
    ['électricité', ['elec', 'ELEC']],
    ['ÉLECTRICITÉ', ['elec', 'ELEC']],
    ['élec', ['elec', 'ELEC', 'author']], // "Électre" too
    ['societe', ['societe', 'plain']],
    ['Société', ['societe', 'plain']],
    ['oeuvre', ['oeuvre', 'noir', 'plain']],
    ['œuvre', ['oeuvre', 'noir', 'plain']],
    ['ŒUVRE', ['oeuvre', 'noir', 'plain']],
    ['aequo', ['noir']],
    ['æquo', ['noir']],
    ['zoe', ['author']],
    ['"societe generale"', ['societe']],
    ['oeuvre -societe', ['oeuvre', 'noir']],
    ['œuvre -Société', ['oeuvre', 'noir']],
    ['-electricite', all.filter((id) => id !== 'elec' && id !== 'ELEC')],
    ['acme -œuvre', ['elec', 'ELEC', 'societe', 'author']],
  ]
  for (const [q, found] of cases) {
    it(`q=${q}`, async () => {
      const { rows } = await listMentions(pg.db, 'postgres', { q }, { limit: 100 })
      expect(rows.map((r) => r.external_id).sort()).toEqual([...found].sort())
    })
  }

  it('reads the folded index', async () => {
    const plan = await pg.db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx)
      const match = await ftsMatch(trx, 'postgres', 'électricité -oeuvre')
      return trx.selectFrom('mentions').select('id').where(match!).explain()
    })
    expect(JSON.stringify(plan)).toContain('mentions_search')
    expect(ids.size).toBe(items.length)
  })
})
