// A fresh, migrated SQLite file per test (real file, WAL and all) and a context around it.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createHttpClient } from '../../collectors/http'
import { openDatabase, type OpenDb } from '../../db'
import { parseConfig, type Config } from '../../server/config'
import type { AppContext } from '../../server/context'
import { silentLogger } from '../../server/log'

export interface TestDb extends OpenDb {
  path: string
  dir: string
  cleanup(): Promise<void>
}

export async function freshDb(): Promise<TestDb> {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-test-'))
  const path = join(dir, 'vigie.db')
  const opened = await openDatabase({ kind: 'sqlite', path })
  return {
    ...opened,
    path,
    dir,
    async cleanup() {
      await opened.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** A clock tests move by hand. */
export function pinnedClock(start: string | Date) {
  let t = new Date(start).getTime()
  return {
    now: () => new Date(t),
    set: (d: string | Date) => {
      t = new Date(d).getTime()
    },
    advance: (ms: number) => {
      t += ms
    },
  }
}

export function testContext(
  db: OpenDb,
  opts: { now?: () => Date; config?: Partial<Config>; timeoutMs?: number; maxBytes?: number } = {},
): AppContext {
  const now = opts.now ?? (() => new Date())
  return {
    db: db.db,
    dialect: db.dialect,
    config: { ...parseConfig({ TZ: 'Europe/Paris' }), ...opts.config },
    log: silentLogger,
    now,
    http: createHttpClient({ now, timeoutMs: opts.timeoutMs ?? 2000, maxBytes: opts.maxBytes }),
  }
}
