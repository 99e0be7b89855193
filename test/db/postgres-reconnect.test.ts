// Lost Postgres connections: backends killed with pg_terminate_backend (restart, failover) are
// logged, never crash the process, and the next query reconnects; /healthz says 503 while the
// server cannot be reached and 200 once it is back. Runs when TEST_DATABASE_URL points at a
// throw-away Postgres database (CI starts one); skipped otherwise. Uses its own database.
import { sql, type Kysely } from 'kysely'
import { createServer, connect, type Server, type Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase, type OpenDb } from '../../db'
import { createApp } from '../../server/app'
import { createLogger } from '../../server/log'
import { Poller } from '../../server/poller'
import { testContext } from '../helpers/db'
import { scratchDatabase, type ScratchDatabase } from '../helpers/postgres'

const url = process.env.TEST_DATABASE_URL

/** A TCP relay to Postgres that can be cut (every connection dropped, new ones refused). */
async function relay(target: URL) {
  const sockets = new Set<Socket>()
  const server: Server = createServer((client) => {
    const upstream = connect(Number(target.port || 5432), target.hostname)
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('error', () => {})
      s.on('close', () => {
        sockets.delete(s)
        client.destroy()
        upstream.destroy()
      })
    }
    client.pipe(upstream).pipe(client)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as { port: number }).port
  return {
    port,
    async cut() {
      await new Promise<void>((r) => {
        server.close(() => r())
        for (const s of sockets) s.destroy()
      })
    },
    async restore() {
      await new Promise<void>((r) => server.listen(port, '127.0.0.1', r))
    },
  }
}

async function until(test: () => boolean, ms = 5000) {
  for (const end = Date.now() + ms; !test() && Date.now() < end;)
    await new Promise((r) => setTimeout(r, 20))
}

describe.skipIf(!url)('Postgres connections lost', () => {
  let scratch: ScratchDatabase
  let admin: Kysely<any>
  let dbUrl: URL
  let name: string
  const uncaught: unknown[] = []
  const onUncaught = (err: unknown) => uncaught.push(err)
  const lines: { level: string; msg: string; code?: string }[] = []
  const log = createLogger('debug', (l) => lines.push(JSON.parse(l)))
  const lost = () => lines.filter((l) => l.msg.startsWith('database connection lost'))

  beforeAll(async () => {
    scratch = await scratchDatabase(url!, 'reconnect')
    admin = scratch.admin
    dbUrl = new URL(scratch.url)
    name = dbUrl.pathname.slice(1)
    process.on('uncaughtException', onUncaught)
  })
  afterAll(async () => {
    process.off('uncaughtException', onUncaught)
    await scratch.drop()
  })

  const terminate = async () => {
    const { rows } = await sql<{ n: number }>`select count(pg_terminate_backend(pid))::int as n
      from pg_stat_activity where datname = ${name}`.execute(admin)
    return rows[0].n
  }

  it('logs idle connections killed by pg_terminate_backend and reconnects on the next query', async () => {
    const pg: OpenDb = await openDatabase({ kind: 'postgres', url: dbUrl.toString() }, { log })
    try {
      // three connections left idle in the pool
      await Promise.all([1, 2, 3].map(() => sql`select pg_sleep(0.05)`.execute(pg.db)))
      lines.length = 0
      const killed = await terminate()
      expect(killed).toBeGreaterThanOrEqual(3)
      await until(() => lost().length >= killed)
      expect(lost()).toHaveLength(killed)
      expect(lost()[0]).toMatchObject({ level: 'error', code: '57P01' })
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from brands`.execute(
        pg.db,
      )
      expect(rows).toEqual([{ n: 0 }])
      expect(uncaught).toEqual([])
    } finally {
      await pg.close()
    }
  })

  it('fails only the transaction whose connection was killed', async () => {
    const pg: OpenDb = await openDatabase({ kind: 'postgres', url: dbUrl.toString() }, { log })
    try {
      const tx = pg.db.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx)
        await terminate() // meanwhile, between two statements
        await new Promise((r) => setTimeout(r, 200))
        await sql`select 2`.execute(trx)
      })
      await expect(tx).rejects.toThrow()
      const { rows } = await sql<{ n: number }>`select 3 as n`.execute(pg.db)
      expect(rows).toEqual([{ n: 3 }])
      expect(uncaught).toEqual([])
    } finally {
      await pg.close()
    }
  })

  it('/healthz answers 503 while the server is unreachable, 200 once it is back', async () => {
    const r = await relay(dbUrl)
    const via = new URL(dbUrl)
    via.hostname = '127.0.0.1'
    via.port = String(r.port)
    const pg: OpenDb = await openDatabase({ kind: 'postgres', url: via.toString() }, { log })
    try {
      const ctx = testContext(pg)
      const app = createApp(ctx, new Poller(ctx))
      expect((await app.request('/healthz')).status).toBe(200)
      lines.length = 0
      await r.cut()
      await until(() => lost().length > 0)
      expect(lost().length).toBeGreaterThan(0)
      const down = await app.request('/healthz')
      expect(down.status).toBe(503)
      expect(await down.json()).toMatchObject({ status: 'degraded' })
      await r.restore()
      expect((await app.request('/healthz')).status).toBe(200)
      expect(uncaught).toEqual([])
    } finally {
      await pg.close()
      await r.cut()
    }
  })
})
