// Assignees stored before one person had one name (db/mentions.ts mergeAssignees): rewritten to the
// team member's name by the rules assigneeName applies to what is typed, once, with the history
// saying so; on a real SQLite file, and on Postgres when TEST_DATABASE_URL is set. Then the same
// through start-up: a Vigie started on such a database lists each person once.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, type OpenDb } from '../../db'
import { insertBrand } from '../../db/brands'
import { mergeAssignees, teamNames } from '../../db/mentions'
import { insertSource } from '../../db/sources'
import { insertUser } from '../../db/users'
import { parseConfig } from '../../server/config'
import { silentLogger } from '../../server/log'
import { start } from '../../server/start'
import { openTestDatabase } from '../helpers/postgres'

const pgUrl = process.env.TEST_DATABASE_URL
const dialects = pgUrl ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const)
const now = new Date('2026-11-22T12:00:00Z')

/** The team, and mentions assigned the ways people typed names before they were normalised. */
async function seed(db: OpenDb['db']): Promise<void> {
  for (const [name, email, disabled] of [
    ['Julien Bernard', 'julien.bernard@acme.fr', false],
    ['Léa Martin', 'lea@acme.fr', false],
    ['Léa Dubois', 'ldubois@acme.fr', false],
    ['Marc Petit', 'marc@acme.fr', true],
  ] as const) {
    const u = await insertUser(db, { email, name, role: 'responder', passwordHash: null }, now)
    if (disabled)
      await db.updateTable('users').set({ disabled: 1 }).where('id', '=', u.id).execute()
  }
  const brand = await insertBrand(db, { name: 'Acme', query: 'Acme' }, now)
  const src = await insertSource(
    db,
    { name: 'Feed', kind: 'rss', config: { url: 'https://f.example/rss' }, intervalSeconds: 900 },
    now,
  )
  const assignees = [
    'julien',
    'Julien Bernard',
    'julien',
    'JULIEN.BERNARD@acme.fr',
    'lea martin ',
    'Léa', // two Léas: nobody can tell which
    'ldubois',
    'Agence Lumière', // not on the team
    'marc', // no longer on the team (disabled)
    null,
  ]
  await db
    .insertInto('mentions')
    .values(
      assignees.map((assignee, i) => ({
        brand_id: brand.id,
        source_id: src.id,
        external_id: `e${i}`,
        fold_hash: `f${i}`,
        url: `https://news.example/${i}`,
        title: '',
        text: `text ${i}`,
        published_at: now.toISOString(),
        collected_at: now.toISOString(),
        lang: 'fr',
        sentiment_score: 0,
        sentiment_label: 'neutral',
        sentiment_scored: 1,
        matched_terms: '[]',
        assignee,
      })),
    )
    .execute()
}

const stored = async (db: OpenDb['db']) =>
  (await db.selectFrom('mentions').select('assignee').orderBy('id').execute()).map(
    (r) => r.assignee,
  )

const MERGED = [
  'Julien Bernard',
  'Julien Bernard',
  'Julien Bernard',
  'Julien Bernard',
  'Léa Martin',
  'Léa',
  'Léa Dubois',
  'Agence Lumière',
  'marc',
  null,
]

describe.each(dialects)('mergeAssignees on %s', (dialect) => {
  let t: OpenDb & { cleanup(): Promise<void> }
  afterEach(() => t.cleanup())

  const open = () => openTestDatabase(dialect, 'assignees')

  it('rewrites the ways a member was typed to their name, once, and says so in each history', async () => {
    t = await open()
    await seed(t.db)
    const merged = await mergeAssignees(t.db, now)
    expect(merged).toEqual([
      { from: 'JULIEN.BERNARD@acme.fr', to: 'Julien Bernard', mentions: 1 },
      { from: 'julien', to: 'Julien Bernard', mentions: 2 },
      { from: 'ldubois', to: 'Léa Dubois', mentions: 1 },
      { from: 'lea martin ', to: 'Léa Martin', mentions: 1 },
    ])
    expect(await stored(t.db)).toEqual(MERGED)
    expect(await teamNames(t.db)).toEqual([
      'Agence Lumière',
      'Julien Bernard',
      'Léa',
      'Léa Dubois',
      'Léa Martin',
      'marc',
    ])
    const events = await t.db
      .selectFrom('mention_events')
      .select(['actor', 'field', 'old_value', 'new_value'])
      .where('old_value', '=', 'julien')
      .execute()
    expect(events).toEqual([
      { actor: 'Vigie', field: 'assignee', old_value: 'julien', new_value: 'Julien Bernard' },
      { actor: 'Vigie', field: 'assignee', old_value: 'julien', new_value: 'Julien Bernard' },
    ])
    // idempotent: a second run finds nothing to do and writes nothing
    const count = async () =>
      Number(
        (
          await t.db
            .selectFrom('mention_events')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      )
    const before = await count()
    expect(await mergeAssignees(t.db, now)).toEqual([])
    expect(await count()).toBe(before)
  })
})

describe('at start-up', () => {
  let dir: string
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('a Vigie started on a database with older spellings merges them', async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigie-test-'))
    const config = parseConfig({ TZ: 'Europe/Paris', PORT: '0', DATABASE_URL: join(dir, 'v.db') })
    const first = await openDatabase(config.database)
    await seed(first.db)
    await first.close()
    const running = await start(config, { log: silentLogger, schedule: false, env: {} })
    try {
      expect(await stored(running.ctx.db)).toEqual(MERGED)
      const audit = await running.ctx.db
        .selectFrom('audit_log')
        .select(['actor', 'action', 'detail'])
        .where('action', '=', 'assignees.merge')
        .execute()
      expect(audit).toHaveLength(1)
      expect(JSON.parse(audit[0].detail!)).toEqual({ names: 4, mentions: 5 })
    } finally {
      await running.stop()
    }
  })
})
