// Which name a typed assignee is stored as (db/mentions.ts assigneeName): one person, one name.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { assigneeName } from '../../db/mentions'
import { insertUser } from '../../db/users'
import { freshDb, type TestDb } from '../helpers/db'

let tdb: TestDb
beforeAll(async () => {
  tdb = await freshDb()
  const now = new Date('2026-11-22T12:00:00Z')
  const people: [string, string][] = [
    ['Julien Bernard', 'julien.bernard@acme.fr'],
    ['Léa Martin', 'lea@acme.fr'],
    ['Léa Dubois', 'ldubois@acme.fr'],
    ['', 'noname@acme.fr'],
  ]
  for (const [name, email] of people)
    await insertUser(tdb.db, { email, name, role: 'responder', passwordHash: null }, now)
})
afterAll(() => tdb.cleanup())

describe('assigneeName', () => {
  it.each([
    ['Julien Bernard', 'Julien Bernard'],
    ['julien bernard', 'Julien Bernard'],
    ['julien', 'Julien Bernard'], // the only Julien
    ['JULIEN.BERNARD@ACME.FR', 'Julien Bernard'],
    ['julien.bernard', 'Julien Bernard'],
    ['lea martin', 'Léa Martin'], // accents aside
    ['Léa', 'Léa'], // two Léas: kept as typed, not guessed
    ['ldubois', 'Léa Dubois'],
    ['Agence Lumière', 'Agence Lumière'], // not on the team: as typed
    ['noname', 'noname'], // a member without a name: nothing better to store
  ])('%s → %s', async (typed, stored) => {
    expect(await assigneeName(tdb.db, typed)).toBe(stored)
  })
})
