// The alerts page's "Voir les mentions (N)" for every card in one query (server/alerts.ts
// mentionsLinks): each count is what its link lists now, corrections included; on a real SQLite
// file, and on Postgres when TEST_DATABASE_URL is set.
import { afterEach, describe, expect, it } from 'vitest'
import type { OpenDb } from '../../db'
import { insertAlert } from '../../db/alerts'
import { insertBrand } from '../../db/brands'
import { insertSource } from '../../db/sources'
import { mentionsLinks } from '../../server/alerts'
import { alertRow } from '../helpers/alert-row'
import { openTestDatabase } from '../helpers/postgres'

const pgUrl = process.env.TEST_DATABASE_URL
const dialects = pgUrl ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const)
const now = new Date('2026-11-22T12:00:00Z')

describe.each(dialects)('mentionsLinks on %s', (dialect) => {
  let t: OpenDb & { cleanup(): Promise<void> }
  afterEach(() => t.cleanup())

  const open = () => openTestDatabase(dialect, 'alertlinks')

  it('counts what each card links to, negatives or all mentions, in one go', async () => {
    t = await open()
    const acme = await insertBrand(t.db, { name: 'Acme', query: 'Acme' }, now)
    const globex = await insertBrand(t.db, { name: 'Globex', query: 'Globex' }, now)
    const src = await insertSource(
      t.db,
      { name: 'Feed', kind: 'rss', config: { url: 'https://f.example/rss' }, intervalSeconds: 900 },
      now,
    )
    type Label = 'negative' | 'neutral' | 'positive'
    const mentions: [number, string, Label, Label | null][] = [
      [acme.id, '10:05', 'negative', null],
      [acme.id, '10:20', 'negative', null],
      [acme.id, '10:40', 'negative', 'positive'], // the team says it was not negative
      [acme.id, '10:50', 'neutral', null],
      [acme.id, '11:30', 'negative', null], // after the alert's window
      [globex.id, '10:10', 'neutral', null],
      [globex.id, '10:15', 'positive', null],
    ]
    await t.db
      .insertInto('mentions')
      .values(
        mentions.map(([brand_id, hm, label, manual], i) => ({
          brand_id,
          source_id: src.id,
          external_id: `e${i}`,
          fold_hash: `f${i}`,
          url: `https://news.example/${i}`,
          title: '',
          text: `text ${i}`,
          published_at: `2026-11-22T${hm}:00.000Z`,
          collected_at: now.toISOString(),
          lang: 'fr',
          sentiment_score: label === 'negative' ? -0.5 : 0,
          sentiment_label: label,
          sentiment_scored: 1,
          matched_terms: '[]',
          manual_label: manual,
        })),
      )
      .execute()
    const summary = JSON.stringify({ until: '2026-11-22T11:00:00.000Z' })
    const start = '2026-11-22T10:00:00.000Z'
    const negative = await insertAlert(t.db, alertRow(acme.id, start, { summary }))
    const volume = await insertAlert(
      t.db,
      alertRow(globex.id, start, { kind: 'volume_spike', summary }),
    )
    const links = await mentionsLinks(t.db, [negative, volume])
    expect(links.map((l) => l.count)).toEqual([2, 2])
    expect(links[0].href).toBe(
      `/mentions?brand=${acme.id}&sentiment=negative&since=2026-11-22T10%3A00%3A00.000Z&until=2026-11-22T11%3A00%3A00.000Z`,
    )
    expect(links[1].href).not.toContain('sentiment=')
    expect(await mentionsLinks(t.db, [])).toEqual([])
  })
})
