import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { insertBrand } from '../../db/brands'
import { MigrationError, openDatabase } from '../../db'
import { parseConfig } from '../../server/config'
import { applyConfigFile, ConfigFileError, parseConfigFile } from '../../server/config-file'
import { silentLogger } from '../../server/log'
import { SecretKeyError } from '../../server/secrets'
import { start, startupProblem } from '../../server/start'
import { freshDb, type TestDb } from '../helpers/db'

let tdb: TestDb
beforeEach(async () => {
  tdb = await freshDb()
})
afterEach(() => tdb.cleanup())

const GOOD = `# Vigie config
brands:
  - name: Acme
    query: '"Acme" OR "Acme Corp" -"Acme Road"'
  - name: Globex
    query: Globex
    vocabulary: { sick: 2 }
sources:
  - name: Acme newsroom
    kind: rss
    url: https://example.com/feed.xml
    interval: 15m
  - name: Globex blog
    kind: rss
    url: https://globex.example/feed
    brand: Globex
exclusions:
  - author: "@staff.member"
    platform: mastodon
  - domain: intranet.example
`

describe('VIGIE_CONFIG file', () => {
  it('applies idempotently: nothing duplicated on a second start', async () => {
    const file = join(tdb.dir, 'vigie.yaml')
    writeFileSync(file, GOOD)
    const now = new Date('2026-11-22T12:00:00Z')
    const first = await applyConfigFile(tdb.db, file, now)
    expect(first.brands).toEqual({ created: 2, updated: 0, unchanged: 0 })
    expect(first.sources).toEqual({ created: 2, updated: 0, unchanged: 0 })
    expect(first.exclusions).toEqual({ created: 2, unchanged: 0 })
    const second = await applyConfigFile(tdb.db, file, now)
    expect(second.brands).toEqual({ created: 0, updated: 0, unchanged: 2 })
    expect(second.sources).toEqual({ created: 0, updated: 0, unchanged: 2 })
    expect(second.exclusions).toEqual({ created: 0, unchanged: 2 })
    expect(await tdb.db.selectFrom('sources').selectAll().execute()).toHaveLength(2)
    const src = await tdb.db
      .selectFrom('sources')
      .selectAll()
      .where('name', '=', 'Acme newsroom')
      .executeTakeFirstOrThrow()
    expect(src.interval_seconds).toBe(900)
    expect(JSON.parse(src.config)).toEqual({ url: 'https://example.com/feed.xml' })
    // Upsert by name: a changed query updates the brand in place.
    writeFileSync(file, GOOD.replace('query: Globex\n', 'query: \'Globex OR "Globex Corp"\'\n'))
    const third = await applyConfigFile(tdb.db, file, now)
    expect(third.brands).toEqual({ created: 0, updated: 1, unchanged: 1 })
  })

  it('a brand paused or a source disabled in the UI stays so, and unchanged, when the file is silent about it', async () => {
    const file = join(tdb.dir, 'vigie.yaml')
    writeFileSync(file, GOOD)
    const now = new Date('2026-11-22T12:00:00Z')
    await applyConfigFile(tdb.db, file, now)
    await tdb.db.updateTable('brands').set({ active: 0 }).where('name', '=', 'Acme').execute()
    await tdb.db
      .updateTable('sources')
      .set({ enabled: 0 })
      .where('name', '=', 'Acme newsroom')
      .execute()
    // "Idempotently": a start that changes nothing must not report (and audit) an update.
    const again = await applyConfigFile(tdb.db, file, now)
    expect(again.brands).toEqual({ created: 0, updated: 0, unchanged: 2 })
    expect(again.sources).toEqual({ created: 0, updated: 0, unchanged: 2 })
    const acme = await tdb.db
      .selectFrom('brands')
      .select('active')
      .where('name', '=', 'Acme')
      .executeTakeFirstOrThrow()
    expect(acme.active).toBe(0)
    // Saying it in the file does change it.
    writeFileSync(file, GOOD.replace('-"Acme Road"\'\n', '-"Acme Road"\'\n    active: true\n'))
    const third = await applyConfigFile(tdb.db, file, now)
    expect(third.brands).toEqual({ created: 0, updated: 1, unchanged: 1 })
  })

  it('a channel or a digest recipient switched off in the UI stays off when the file is silent about it', async () => {
    const file = join(tdb.dir, 'vigie.yaml')
    const withChannel = (extra = '') =>
      GOOD +
      'channels:\n  - name: Veille\n    kind: slack\n    url: https://hooks.slack.com/services/T0/B0/x\n' +
      extra +
      'digest:\n  - email: direction@acme.fr\n' +
      extra
    writeFileSync(file, withChannel())
    const now = new Date('2026-11-22T12:00:00Z')
    const first = await applyConfigFile(tdb.db, file, now)
    expect([first.channels.created, first.digest.created]).toEqual([1, 1])
    const enabled = async () => [
      (await tdb.db.selectFrom('channels').select('enabled').executeTakeFirstOrThrow()).enabled,
      (await tdb.db.selectFrom('digest_recipients').select('enabled').executeTakeFirstOrThrow())
        .enabled,
    ]
    expect(await enabled()).toEqual([1, 1])
    await tdb.db.updateTable('channels').set({ enabled: 0 }).execute()
    await tdb.db.updateTable('digest_recipients').set({ enabled: 0 }).execute()
    const again = await applyConfigFile(tdb.db, file, now)
    expect([again.channels.unchanged, again.digest.unchanged]).toEqual([1, 1])
    expect(await enabled()).toEqual([0, 0])
    // saying it in the file does turn them back on
    writeFileSync(file, withChannel('    enabled: true\n'))
    const third = await applyConfigFile(tdb.db, file, now)
    expect([third.channels.updated, third.digest.updated]).toEqual([1, 1])
    expect(await enabled()).toEqual([1, 1])
  })

  it("a channel's clock: its timezone, else its quiet hours' zone, else TZ", () => {
    const slack = (name: string, extra: string) =>
      `  - name: ${name}\n    kind: slack\n    url: https://hooks.slack.com/services/T0/B0/x\n${extra}`
    const plan = parseConfigFile(
      GOOD +
        'channels:\n' +
        slack(
          'MTL',
          '    timezone: America/Toronto\n    quiet_hours: { start: "22:00", end: "07:00" }\n',
        ) +
        slack(
          'GVA',
          '    quiet_hours: { start: "22:00", end: "07:00", timezone: Europe/Zurich }\n',
        ) +
        slack('PAR', '    quiet_hours: { start: "22:00", end: "07:00" }\n') +
        slack('Any', ''),
      'cfg.yaml',
      'Europe/Paris',
    )
    expect(plan.channels.map((c) => [c.name, c.timezone, c.quietHours?.timezone])).toEqual([
      ['MTL', 'America/Toronto', 'America/Toronto'],
      ['GVA', 'Europe/Zurich', 'Europe/Zurich'],
      ['PAR', null, 'Europe/Paris'],
      ['Any', null, undefined],
    ])
  })

  const bad: [string, string, RegExp][] = [
    [
      'a webhook channel without its secret',
      GOOD + 'channels:\n  - name: Hook\n    kind: webhook\n    url: https://hooks.example/x\n',
      /^cfg\.yaml:\d+: secret: is required$/,
    ],
    [
      'brands written as a map',
      'brands:\n  Acme: { query: Acme }\n',
      /^cfg\.yaml:\d+: brands: must be a list \(one "- " item per line\)$/,
    ],
    ['unknown top-level key', GOOD + 'widgets: []\n', /^cfg\.yaml:21: unknown key "widgets"/],
    [
      'unknown brand key',
      GOOD.replace('    query: Globex\n', '    query: Globex\n    colour: red\n'),
      /^cfg\.yaml:7: unknown key "colour"/,
    ],
    [
      'invalid query',
      GOOD.replace('query: Globex', 'query: "(Globex"'),
      /^cfg\.yaml:6: invalid query for brand "Globex": parenthesis opened at position 1 is not closed/,
    ],
    [
      'unknown source kind',
      GOOD.replace('kind: rss\n    url: https://globex', 'kind: myspace\n    url: https://globex'),
      /^cfg\.yaml:14: unknown source kind "myspace"/,
    ],
    [
      'bad source url',
      GOOD.replace('url: https://example.com/feed.xml', 'url: not-a-url'),
      /^cfg\.yaml:11: url: a feed address starting with http:\/\/ or https:\/\/$/,
    ],
    [
      'unknown source key',
      GOOD.replace('interval: 15m', 'interval: 15m\n    colour: red'),
      /^cfg\.yaml:13: unknown key "colour"/,
    ],
    [
      'bad interval',
      GOOD.replace('interval: 15m', 'interval: often'),
      /^cfg\.yaml:12: interval "often" must look like/,
    ],
    [
      'duplicate brand',
      GOOD.replace('name: Globex', 'name: Acme'),
      /^cfg\.yaml:5: brand "Acme" is declared twice/,
    ],
    ['YAML syntax', 'brands:\n  - name: [unclosed\n', /^cfg\.yaml:\d+: /],
    [
      'a quote never closed: the line where it opened',
      'brands:\n  - name: Acme\n    query: "Acme\n  - name: B\n    query: B\n',
      /^cfg\.yaml:3: a " quote opened here is never closed$/,
    ],
    [
      'exclusion on a misspelt platform',
      GOOD + '  - author: "@bob"\n    platform: mastodn\n',
      /^cfg\.yaml:22: unknown platform "mastodn" \(known: .*mastodon/,
    ],
    [
      'a channel with two clocks',
      GOOD +
        'channels:\n  - name: Veille\n    kind: slack\n    url: https://hooks.slack.com/services/T0/B0/x\n' +
        '    timezone: America/Toronto\n    quiet_hours: { start: "22:00", end: "07:00", timezone: Europe/Paris }\n',
      /^cfg\.yaml:26: quiet_hours\.timezone "Europe\/Paris" differs from timezone "America\/Toronto": a channel has one clock; give it once, as timezone$/,
    ],
    [
      'a channel on an unknown clock',
      GOOD +
        'channels:\n  - name: Veille\n    kind: slack\n    url: https://hooks.slack.com/services/T0/B0/x\n' +
        '    timezone: Montreal\n',
      /^cfg\.yaml:25: timezone: unknown time zone$/,
    ],
    [
      'an alias bomb',
      'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n',
      /^cfg\.yaml:1: .*alias.*\(YAML aliases, \*name, expand to too much\)$/i,
    ],
    [
      'two documents',
      GOOD + '---\nbrands: []\n',
      /^cfg\.yaml:\d+: one YAML document only: a second "---" starts another$/,
    ],
    [
      'a binary file',
      '\u0000\u0001binary',
      /^cfg\.yaml:1: not a YAML map: the file starts with keys/,
    ],
    ['a list at the top', '- brands\n', /^cfg\.yaml:1: not a YAML map: the file starts with keys/],
    [
      'two brands differing only by case',
      GOOD.replace('name: Globex', 'name: acme'),
      /^cfg\.yaml:5: brand "acme" is declared twice \("Acme" differs only by case\)$/,
    ],
    [
      'a query too long',
      GOOD.replace('query: Globex', `query: ${'Globex OR '.repeat(250)}Globex`),
      /^cfg\.yaml:6: query: /,
    ],
    [
      'parentheses nested 900 deep',
      GOOD.replace('query: Globex', `query: "${'('.repeat(900)}Globex${')'.repeat(900)}"`),
      /^cfg\.yaml:6: invalid query for brand "Globex": parentheses nested more than 32 deep/,
    ],
    [
      'exclusion without value',
      GOOD + '  - platform: x\n',
      /^cfg\.yaml:21: .*give either author or domain/,
    ],
  ]
  it.each(bad)('rejects %s with file, line and reason', (_name, text, message) => {
    expect(() => parseConfigFile(text, 'cfg.yaml')).toThrow(ConfigFileError)
    expect(() => parseConfigFile(text, 'cfg.yaml')).toThrow(message)
  })

  it('reports every problem of the file at once, in line order, without echoes', () => {
    const text = GOOD.replace('query: Globex', 'query: "(Globex"') // line 6; the brand stays named
      .replace('interval: 15m', 'interval: often') // line 12
      .replace('url: https://globex.example/feed', 'url: nope') // line 15
      .replace('platform: mastodon', 'platform: mastodn') // line 19
    let message = ''
    try {
      parseConfigFile(text + 'widgets: []\n', 'cfg.yaml')
    } catch (err) {
      message = (err as Error).message
    }
    // the unknown top-level key is a problem of the file's shape: the entries wait for it
    expect(message).toBe(
      'cfg.yaml:21: unknown key "widgets" (expected brands, sources, exclusions, channels, digest)',
    )
    expect(() => parseConfigFile(text, 'cfg.yaml')).toThrow(ConfigFileError)
    try {
      parseConfigFile(text, 'cfg.yaml')
    } catch (err) {
      message = (err as Error).message
    }
    const lines = message.split('\n')
    expect(lines.map((l) => l.split(':')[1])).toEqual(['6', '12', '15', '19'])
    expect(lines[0]).toMatch(/invalid query for brand "Globex"/)
    // "Globex blog" names the brand with a broken query: that is not a second problem
    expect(message).not.toMatch(/not declared/)
  })

  it('counts the problems past the first 20', () => {
    const brands = Array.from({ length: 25 }, (_, i) => `  - name: B${i}\n    query: "(x"\n`).join(
      '',
    )
    let message = ''
    try {
      parseConfigFile(`brands:\n${brands}`, 'cfg.yaml')
    } catch (err) {
      message = (err as Error).message
    }
    const lines = message.split('\n')
    expect(lines).toHaveLength(21)
    expect(lines[20]).toBe('cfg.yaml: 5 more problems')
  })

  it('a brand named but not declared must exist in Vigie (made in the UI); else nothing is applied', async () => {
    const file = join(tdb.dir, 'refs.yaml')
    writeFileSync(
      file,
      GOOD.replace('brand: Globex', 'brand: Initech') +
        'channels:\n  - name: Veille\n    kind: slack\n    url: https://hooks.slack.com/services/T0/B0/x\n    brands: [Initech]\n',
    )
    await expect(applyConfigFile(tdb.db, file, new Date())).rejects.toThrow(
      /^.*refs\.yaml:16: brand "Initech" is declared neither in brands nor in Vigie\n.*refs\.yaml:25: brand "Initech"/,
    )
    expect(await tdb.db.selectFrom('brands').selectAll().execute()).toHaveLength(0)
    const initech = await insertBrand(tdb.db, { name: 'Initech', query: 'Initech' }, new Date())
    await applyConfigFile(tdb.db, file, new Date())
    const src = await tdb.db
      .selectFrom('sources')
      .select('brand_id')
      .where('name', '=', 'Globex blog')
      .executeTakeFirstOrThrow()
    expect(src.brand_id).toBe(initech.id)
  })

  it('applies nothing when the file is invalid', async () => {
    const file = join(tdb.dir, 'bad.yaml')
    writeFileSync(file, GOOD.replace('interval: 15m', 'interval: often'))
    await expect(applyConfigFile(tdb.db, file, new Date())).rejects.toThrow(ConfigFileError)
    expect(await tdb.db.selectFrom('brands').selectAll().execute()).toHaveLength(0)
  })

  it('a start with a broken file creates neither the database nor the key file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-cfg-'))
    try {
      const file = join(dir, 'vigie.yaml')
      writeFileSync(file, GOOD.replace('interval: 15m', 'interval: often'))
      const config = parseConfig({ PORT: '0', DATABASE_URL: join(dir, 'v.db'), VIGIE_CONFIG: file })
      await expect(start(config, { log: silentLogger, schedule: false, env: {} })).rejects.toThrow(
        /^.*vigie\.yaml:\d+: .*interval/,
      )
      expect(existsSync(join(dir, 'v.db'))).toBe(false)
      expect(existsSync(join(dir, 'vigie.key'))).toBe(false)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('what the file changes at start is in the audit log; a start that changes nothing is not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-cfg-'))
    try {
      const file = join(dir, 'vigie.yaml')
      writeFileSync(file, GOOD)
      const config = parseConfig({ PORT: '0', DATABASE_URL: join(dir, 'v.db'), VIGIE_CONFIG: file })
      for (let i = 0; i < 2; i++) {
        const running = await start(config, { log: silentLogger, schedule: false, env: {} })
        await running.stop()
      }
      const opened = await openDatabase({ kind: 'sqlite', path: join(dir, 'v.db') })
      const rows = await opened.db.selectFrom('audit_log').selectAll().execute()
      await opened.close()
      expect(rows.map((r) => [r.actor, r.action, r.outcome])).toEqual([
        ['VIGIE_CONFIG', 'config.apply', 'ok'],
      ])
      expect(JSON.parse(rows[0].detail!)).toMatchObject({ brands: { created: 2 } })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('a second instance on a taken port stops before the file changes the database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-cfg-'))
    const taken = createServer()
    await new Promise<void>((r) => taken.listen(0, '127.0.0.1', () => r()))
    try {
      const file = join(dir, 'vigie.yaml')
      writeFileSync(file, GOOD)
      const port = String((taken.address() as AddressInfo).port)
      const config = parseConfig({
        PORT: port,
        DATABASE_URL: join(dir, 'v.db'),
        VIGIE_CONFIG: file,
      })
      const err = await start(config, { log: silentLogger, schedule: false, env: {} }).catch(
        (e: unknown) => e,
      )
      expect(startupProblem(err, config)).toBe(
        `127.0.0.1:${port} is already in use (set PORT or HOST)`,
      )
      const opened = await openDatabase({ kind: 'sqlite', path: join(dir, 'v.db') })
      expect(await opened.db.selectFrom('brands').selectAll().execute()).toEqual([])
      await opened.close()
    } finally {
      taken.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it.each([
    [new ConfigFileError('vigie.yaml:3: unknown key "brand"'), 'vigie.yaml:3: unknown key "brand"'],
    [new SecretKeyError('VIGIE_SECRET_KEY must be 32 bytes'), 'VIGIE_SECRET_KEY must be 32 bytes'],
    [
      Object.assign(new Error('getaddrinfo ENOTFOUND nope.invalid'), {
        code: 'ENOTFOUND',
        syscall: 'getaddrinfo',
        hostname: 'nope.invalid',
      }),
      'cannot listen on nope.invalid:3000 (ENOTFOUND): check HOST',
    ],
    [
      new MigrationError(undefined, 'connect ECONNREFUSED 127.0.0.1:5432'),
      'cannot open the database: connect ECONNREFUSED 127.0.0.1:5432 (DATABASE_URL)',
    ],
    [
      Object.assign(new Error('attempt to write a readonly database'), { code: 'SQLITE_READONLY' }),
      'cannot write the database /srv/v.db (SQLITE_READONLY): check the file and its directory may be written by this user (DATABASE_URL)',
    ],
    [new TypeError('x is not a function'), undefined],
  ])('start-up problem %s → one line', (err, line) => {
    const config = parseConfig({ HOST: 'nope.invalid', PORT: '3000', DATABASE_URL: '/srv/v.db' })
    expect(startupProblem(err, config)).toBe(line)
  })

  it('a database where nothing may be written stops with one line, not a stack trace', async () => {
    const config = parseConfig({ PORT: '0', DATABASE_URL: '/proc/vigie-test.db' })
    const err = await start(config, { log: silentLogger, schedule: false, env: {} }).catch(
      (e: unknown) => e,
    )
    expect(startupProblem(err, config)).toMatch(
      /^cannot write \/proc\/vigie\.key \(E[A-Z]+\): check the directory exists and may be written by this user \(DATABASE_URL, or set VIGIE_SECRET_KEY\)$/,
    )
  })

  it('a database that does not answer is one line naming DATABASE_URL', async () => {
    const err = await openDatabase({ kind: 'postgres', url: 'postgres://vigie@127.0.0.1:1/vigie' })
      .then(() => undefined)
      .catch((e: unknown) => e)
    expect(err).toBeInstanceOf(MigrationError)
    expect(startupProblem(err, parseConfig({}))).toMatch(
      /^cannot open the database: .*ECONNREFUSED.* \(DATABASE_URL\)$/,
    )
    expect(
      startupProblem(new MigrationError('0007-pg-folded-search', 'boom'), parseConfig({})),
    ).toBe('database migration 0007-pg-folded-search failed: boom (DATABASE_URL)')
  })

  it('names HOST, not BASE_URL, when HOST makes no address', () => {
    expect(() => parseConfig({ HOST: '999 .1' })).toThrow('HOST="999 .1" is not a host name')
  })

  it('names a missing file', async () => {
    await expect(applyConfigFile(tdb.db, '/nonexistent/vigie.yaml', new Date())).rejects.toThrow(
      /^\/nonexistent\/vigie\.yaml: cannot read the file \(ENOENT\)/,
    )
  })
})
