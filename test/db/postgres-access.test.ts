// The access tables on Postgres: users, sessions, tokens, audit, answers, retention's daily
// aggregates (upsert adding counts). Runs when TEST_DATABASE_URL points at a throw-away Postgres
// database (CI starts one); skipped otherwise. Uses its own database so it can run beside others.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type Db } from '../../db'
import { approveAnswer, saveAnswerDraft } from '../../db/answers'
import { appendAudit, listAudit } from '../../db/audit'
import { insertBrand } from '../../db/brands'
import { keyedHash, loadExclusionMatcher } from '../../db/exclusions'
import { instanceSecret } from '../../db/settings'
import { createSession, resolveSession } from '../../db/sessions'
import { insertSource } from '../../db/sources'
import { createApiToken, resolveApiToken } from '../../db/tokens'
import { insertUser, setUserDisabled } from '../../db/users'
import { eraseBy, purgeExpired } from '../../server/retention'
import { derivedKey } from '../../server/secrets'
import { ingestOverTime } from '../helpers/history'
import { scratchDatabase } from '../helpers/postgres'

const url = process.env.TEST_DATABASE_URL
const now = new Date('2026-11-22T12:00:00Z')

describe.skipIf(!url)('access on Postgres', () => {
  let db: Db
  let close: () => Promise<void>
  beforeAll(async () => {
    // Its own database: the other Postgres test drops and recreates the public schema meanwhile.
    const scratch = await scratchDatabase(url!, 'access')
    const opened = await openDatabase({ kind: 'postgres', url: scratch.url })
    db = opened.db
    close = async () => {
      await opened.close()
      await scratch.drop()
    }
  })
  afterAll(async () => close?.())

  it('users, sessions, tokens, audit, answers, retention and erasure', async () => {
    const ana = await insertUser(db, { email: 'ana@x.example', role: 'responder' }, now)
    const bob = await insertUser(db, { email: 'bob@x.example', role: 'admin' }, now)
    const { token } = await createSession(db, ana.id, { ip: '1', userAgent: 'x' }, now)
    const api = await createApiToken(db, ana.id, { name: 't', scope: 'read' }, now)
    expect((await resolveSession(db, token, now))?.user.email).toBe('ana@x.example')
    expect((await resolveApiToken(db, api.token, now))?.token.scope).toBe('read')
    await setUserDisabled(db, ana.id, true, now)
    expect(await resolveSession(db, token, now)).toBeUndefined()
    expect(await resolveApiToken(db, api.token, now)).toBeUndefined()
    await appendAudit(db, { userId: bob.id, actor: bob.email, action: 'x.y', outcome: 'ok' }, now)
    expect((await listAudit(db))[0].action).toBe('x.y')

    const brand = await insertBrand(db, { name: 'Acme', query: 'Acme' }, now)
    const src = await insertSource(
      db,
      { name: 'F', kind: 'rss', config: { url: 'https://f.example' }, intervalSeconds: 900 },
      now,
    )
    const old = new Date(now.getTime() - 200 * 86400_000).toISOString()
    await ingestOverTime(
      db,
      src,
      [
        { externalId: '1', url: 'https://f.example/1', title: 'Acme', text: '', publishedAt: old },
        {
          externalId: '2',
          url: 'https://f.example/2',
          title: 'Acme bis',
          text: '',
          publishedAt: old,
        },
        {
          externalId: '3',
          url: 'https://f.example/3',
          title: 'Acme',
          text: '',
          author: 'Jo',
          publishedAt: now.toISOString(),
        },
      ],
      now,
    )
    const m3 = await db
      .selectFrom('mentions')
      .select('id')
      .where('external_id', '=', '3')
      .executeTakeFirstOrThrow()
    await saveAnswerDraft(db, m3.id, 'Merci', ana.id, now)
    expect(await approveAnswer(db, m3.id, bob.id, now)).toBe('approved')
    expect((await purgeExpired(db, now)).deleted).toBe(2)
    const counts = await db.selectFrom('daily_counts').selectAll().execute()
    expect(counts.reduce((n, c) => n + Number(c.count), 0)).toBe(2)
    expect(counts[0].brand_id).toBe(brand.id)
    expect((await eraseBy(db, { kind: 'author', value: '@jo' }, now)).deleted).toBe(1)
  })

  it('wraps exclusion hashes stored before the second key once, with two processes at once', async () => {
    const scratch = await scratchDatabase(url!, 'exkey')
    const a = await openDatabase({ kind: 'postgres', url: scratch.url })
    const b = await openDatabase({ kind: 'postgres', url: scratch.url })
    try {
      const inner = await instanceSecret(a.db)
      for (const v of ['staff_anna', 'staff_bob', 'staff_carl'])
        await a.db
          .insertInto('exclusions')
          .values({
            brand_id: null,
            kind: 'author',
            platform: '',
            value_hash: keyedHash(inner, v),
            hint: 'st…',
            created_at: now.toISOString(),
          })
          .execute()
      const before = await a.db
        .selectFrom('exclusions')
        .select('value_hash')
        .orderBy('id')
        .execute()
      const [ma, mb] = await Promise.all([loadExclusionMatcher(a.db), loadExclusionMatcher(b.db)])
      const after = await a.db.selectFrom('exclusions').select('value_hash').orderBy('id').execute()
      const outer = derivedKey('exclusions')
      expect(after.map((r) => r.value_hash)).toEqual(
        before.map((r) => keyedHash(outer, r.value_hash)),
      )
      for (const m of [ma, mb])
        expect(m.excludes({ author: '@Staff_Bob', url: 'https://x.example' }, 'rss', 1)).toBe(true)
    } finally {
      await a.close()
      await b.close()
      await scratch.drop()
    }
  })
})
