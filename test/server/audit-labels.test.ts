// Every action the audit log can record reads as words in French and English: the actions handlers
// record themselves (the literals in server/), and the generic one (auditAction) of every
// state-changing route the app registers, so a route added later without its label fails here.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../../server/app'
import { auditAction } from '../../server/auth'
import { isAudited } from '../../server/auth/policy'
import { Poller } from '../../server/poller'
import { en } from '../../views/i18n/en'
import { fr } from '../../views/i18n/fr'
import { freshDb, testContext, type TestDb } from '../helpers/db'

// Routes whose handler records its own action (the literal is checked below instead): their
// generic name is never written.
const RECORD_THEIR_OWN = [
  'POST /account/2fa',
  'POST /account/2fa/disable',
  'POST /account/tokens',
  'POST /digest/unsubscribe/:token',
  'POST /mentions/:id{[0-9]+}/answer/approve',
  'POST /mentions/:id{[0-9]+}/answer/published',
  'POST /settings/erasure',
  'POST /settings/exclusions',
  'POST /settings/exclusions/:id{[0-9]+}/delete',
  'POST /settings/retention',
  'POST /settings/retention/purge',
  'POST /setup/:token',
  'POST /users/:id{[0-9]+}/invite',
  'POST /users/require-2fa',
  'POST /users/tokens/:tid{[0-9]+}/revoke',
]

let tdb: TestDb
let app: ReturnType<typeof createApp>
beforeAll(async () => {
  tdb = await freshDb()
  const ctx = testContext(tdb, { now: () => new Date('2026-11-22T12:00:00Z') })
  app = createApp(ctx, new Poller(ctx))
})
afterAll(() => tdb.cleanup())

/** Concrete paths of a route pattern: each listed alternative, ids as 7. */
function concrete(pattern: string): string[] {
  let paths = [pattern]
  for (const m of pattern.matchAll(/:\w+\{([^}]+)\}/g))
    if (/^[a-z0-9-]+(\|[a-z0-9-]+)+$/i.test(m[1]))
      paths = paths.flatMap((p) => m[1].split('|').map((alt) => p.replace(m[0], alt)))
  return paths.map((p) => p.replace(/:\w+\{[^}]+\}/g, '7').replace(/:\w+/g, '7'))
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sourceFiles(join(dir, e.name))
      : /\.tsx?$/.test(e.name)
        ? [join(dir, e.name)]
        : [],
  )
}

const labelled = (action: string) => `audit.act.${action}` in fr && `audit.act.${action}` in en

describe('audit log labels', () => {
  it('names the generic action of every audited route in both languages', () => {
    const registered = new Set<string>()
    const missing: string[] = []
    for (const r of app.routes) {
      if (r.method === 'ALL') continue
      const route = `${r.method} ${r.path}`
      registered.add(route)
      if (RECORD_THEIR_OWN.includes(route)) continue
      for (const path of concrete(r.path)) {
        if (!isAudited(r.method, path)) continue
        const action = auditAction(r.method, path)
        if (!labelled(action)) missing.push(`${action} (${route})`)
      }
    }
    expect(missing).toEqual([])
    // the exception list stays true to the app
    expect(RECORD_THEIR_OWN.filter((r) => !registered.has(r))).toEqual([])
  })

  it('names every action a handler or the CLI records itself', () => {
    const actions = new Set<string>()
    for (const file of sourceFiles(join(__dirname, '../../server'))) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!/\baction: |\baudit\(/.test(line)) continue
        for (const m of line.matchAll(/'([a-z0-9-]+(?:\.[a-z0-9-]+)+)'/g)) actions.add(m[1])
      }
    }
    // the CLI's `users.${cmd}`
    actions.add('users.disable').add('users.enable')
    expect(actions.size).toBeGreaterThan(25)
    expect([...actions].filter((a) => !labelled(a))).toEqual([])
  })
})
