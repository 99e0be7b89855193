// Feed search on SQLite finds œ and æ words whichever way they are typed (db/sqlite.ts toFtsQuery).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertBrand } from '../../db/brands'
import { listMentions } from '../../db/mentions'
import { insertSource } from '../../db/sources'
import { toFtsQuery } from '../../db/sqlite'
import { ingest } from '../../server/pipeline'
import { freshDb, type TestDb } from '../helpers/db'

const now = new Date('2026-11-22T12:00:00Z')
let t: TestDb
beforeAll(async () => {
  t = await freshDb()
  await insertBrand(t.db, { name: 'Acme', query: 'Acme' }, now)
  const src = await insertSource(
    t.db,
    { name: 'feed', kind: 'rss', config: { url: 'https://f.example' }, intervalSeconds: 900 },
    now,
  )
  const texts = [
    'Acme : une Œuvre de mauvaise foi',
    'Acme a le cœur sur la main',
    'Acme, ex æquo avec Globex',
    'Acme oeuvre pour ses clients',
    'Acme, rien à voir',
  ]
  await ingest(
    t.db,
    src,
    texts.map((text, i) => ({
      externalId: `m${i}`,
      url: `https://f.example/${i}`,
      title: '',
      text,
      publishedAt: new Date(now.getTime() - i * 60_000).toISOString(),
    })),
    now,
  )
})
afterAll(() => t.cleanup())

describe('ligatures in the feed search', () => {
  it.each([
    ['oeuvre', ['Acme : une Œuvre de mauvaise foi', 'Acme oeuvre pour ses clients']],
    ['Œuvre', ['Acme : une Œuvre de mauvaise foi', 'Acme oeuvre pour ses clients']],
    ['coeur', ['Acme a le cœur sur la main']],
    ['aequo', ['Acme, ex æquo avec Globex']],
    [
      'acme -oeuvre',
      ['Acme a le cœur sur la main', 'Acme, ex æquo avec Globex', 'Acme, rien à voir'],
    ],
  ])('%s', async (q, want) => {
    const { rows } = await listMentions(t.db, 'sqlite', { q }, { limit: 50 })
    expect(rows.map((r) => r.text).sort()).toEqual([...want].sort())
  })

  it('quotes every spelling, so typed operators stay words', () => {
    expect(toFtsQuery(['oeuvre', 'x"y'])).toBe('("oeuvre"* OR "œuvre"*) "x""y"*')
  })
})
