// Migration 0010 on a database that already holds channels (a real SQLite file, and Postgres when
// TEST_DATABASE_URL is set): a channel with quiet hours takes their zone as its own clock, one
// without keeps Vigie's (null).
import { Migrator, type Kysely } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { migrationProvider } from '../../db/migrations'
import { emptyDatabase } from '../helpers/postgres'

const dialects = process.env.TEST_DATABASE_URL
  ? (['sqlite', 'postgres'] as const)
  : (['sqlite'] as const)

describe.each(dialects)('0010 on %s', (dialect) => {
  let db: Kysely<any>
  let close: () => Promise<void>
  afterEach(() => close())

  it('gives each channel with quiet hours their zone, and the others none', async () => {
    ;({ db, close } = await emptyDatabase(dialect, 'chantz'))
    const migrator = new Migrator({ db, provider: migrationProvider(dialect) })
    expect((await migrator.migrateTo('0009-signin-failures')).error).toBeUndefined()
    const at = '2026-11-22T10:00:00.000Z'
    const row = (name: string, quiet: object | null) => ({
      name,
      kind: 'webhook',
      config: '{}',
      lang: 'fr',
      quiet_hours: quiet && JSON.stringify(quiet),
      created_at: at,
      updated_at: at,
    })
    await db
      .insertInto('channels')
      .values([
        row('MTL', { start: '22:00', end: '07:00', timezone: 'America/Toronto' }),
        row('Any', null),
      ])
      .execute()
    expect((await migrator.migrateToLatest()).error).toBeUndefined()
    const rows = await db
      .selectFrom('channels')
      .select(['name', 'timezone'])
      .orderBy('name')
      .execute()
    expect(rows).toEqual([
      { name: 'Any', timezone: null },
      { name: 'MTL', timezone: 'America/Toronto' },
    ])
  })
})
