// `npm run user`: add an admin, tokens printed alone on the last line and usable, disable ends
// sessions and tokens, and usage errors. Runs the command function against a real database.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { resolveApiToken } from '../../db/tokens'
import { createSession, resolveSession } from '../../db/sessions'
import { getUserByEmail } from '../../db/users'
import { verifyPassword } from '../../server/auth/passwords'
import { runUserCli, UsageError } from '../../server/cli/user'
import { freshDb, type TestDb } from '../helpers/db'

let tdb: TestDb
const now = new Date('2026-11-22T12:00:00Z')
beforeEach(async () => {
  tdb = await freshDb()
})
afterEach(() => tdb.cleanup())

describe('npm run user', () => {
  it('adds an admin with a first password, creates a token, disables the user', async () => {
    const out = await runUserCli(
      tdb.db,
      ['add', '--admin', 'Boss@X.example', '--name', 'Boss'],
      now,
    )
    const password = out[out.length - 1]
    const u = (await getUserByEmail(tdb.db, 'boss@x.example'))!
    expect(u).toMatchObject({ role: 'admin', name: 'Boss' })
    expect(await verifyPassword(password, u.password_hash)).toBe(true)

    const tok = await runUserCli(
      tdb.db,
      ['token', 'create', 'boss@x.example', '--scope', 'read'],
      now,
    )
    const token = tok[tok.length - 1]
    expect(token).toMatch(/^vigie_[\w-]{43}$/)
    expect((await resolveApiToken(tdb.db, token, now))?.token.scope).toBe('read')
    expect((await runUserCli(tdb.db, ['token', 'list', 'boss@x.example'], now))[0]).toMatch(
      /#1\tcli read\tread\tvigie_/,
    )

    const { token: cookie } = await createSession(tdb.db, u.id, { ip: '', userAgent: '' }, now)
    await runUserCli(tdb.db, ['disable', 'boss@x.example'], now)
    expect(await resolveApiToken(tdb.db, token, now)).toBeUndefined()
    expect(await resolveSession(tdb.db, cookie, now)).toBeUndefined()
    const audit = await tdb.db.selectFrom('audit_log').select(['actor', 'action']).execute()
    expect(audit.map((a) => a.action)).toEqual(['users.create', 'tokens.create', 'users.disable'])
    expect(audit.every((a) => a.actor === 'cli')).toBe(true)
  })

  it('refuses an ingest token to a viewer, as the account page does', async () => {
    await runUserCli(tdb.db, ['add', '--role', 'viewer', 'vi@x.example'], now)
    await expect(
      runUserCli(tdb.db, ['token', 'create', 'vi@x.example', '--scope', 'ingest'], now),
    ).rejects.toThrow(/an ingest token needs the responder role: vi@x\.example is a viewer/)
    expect(await runUserCli(tdb.db, ['reset-2fa', 'vi@x.example'], now)).toEqual([
      'vi@x.example had no two-factor set up',
    ])
  })

  it.each([
    [['bogus'], /usage/],
    [['add'], /e-mail/],
    [['add', '--role', 'boss', 'a@x.example'], /unknown role/],
    [['token', 'create', 'nobody@x.example'], /no user/],
    [['token', 'create', 'a@x.example', '--scope', 'write'], /--scope must be one of read, ingest/],
  ])('refuses %j', async (argv, message) => {
    await expect(runUserCli(tdb.db, argv, now)).rejects.toThrow(message)
    await expect(runUserCli(tdb.db, argv, now)).rejects.toBeInstanceOf(UsageError)
  })
})
