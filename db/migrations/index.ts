// In-code migration provider: the same ordered list runs under tsx, vitest and the bench, with no
// file-system scanning. Add new migrations at the end; never edit a shipped one.
import type { Kysely, Migration, MigrationProvider } from 'kysely'
import * as m0001 from './0001-init'
import * as m0002 from './0002-triage'
import * as m0003 from './0003-alerts'
import * as m0004 from './0004-digest'
import * as m0005 from './0005-access'
import * as m0006 from './0006-assignee'
import * as m0007 from './0007-pg-folded-search'
import * as m0008 from './0008-negative-open'
import * as m0009 from './0009-signin-failures'
import * as m0010 from './0010-channel-timezone'
import * as m0011 from './0011-alert-told'
import * as m0012 from './0012-mastodon-full-acct'

type Dialect = 'sqlite' | 'postgres'
type Module = { up(db: Kysely<any>, dialect: Dialect): Promise<void> }

const list: [string, Module][] = [
  ['0001-init', m0001],
  ['0002-triage', m0002],
  ['0003-alerts', m0003],
  ['0004-digest', m0004],
  ['0005-access', m0005],
  ['0006-assignee', m0006],
  ['0007-pg-folded-search', m0007],
  ['0008-negative-open', m0008],
  ['0009-signin-failures', m0009],
  ['0010-channel-timezone', m0010],
  ['0011-alert-told', m0011],
  ['0012-mastodon-full-acct', m0012],
]

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return {
    async getMigrations() {
      const out: Record<string, Migration> = {}
      for (const [name, mod] of list) out[name] = { up: (db) => mod.up(db, dialect) }
      return out
    },
  }
}
