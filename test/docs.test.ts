// The documentation is what an administrator follows, so its examples and lists are checked
// against the code here rather than trusted to stay in step: every YAML example parses with the
// real parser and shows every key, the environment table is what the code reads with the defaults
// it applies, the npm scripts it names exist, and the source kinds and chat platforms it lists are
// the registered ones.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'
import { collectors } from '../collectors'
import { parseConfig } from '../server/config'
import { ENTRY_KEYS, parseConfigFile } from '../server/config-file'
import { notifiers } from '../server/notifiers'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8')
const README = read('README.md')
const DOCS = ['README.md', 'collectors/README.md', 'server/notifiers/README.md', 'docs/privacy.md']

/** The text between a heading and the next heading of the same or a higher level. */
function section(text: string, heading: string): string {
  const level = /^#+/.exec(heading)![0].length
  const start = text.indexOf(`\n${heading}\n`)
  if (start < 0) throw new Error(`no heading "${heading}"`)
  const rest = text.slice(start + heading.length + 2)
  const end = rest.search(new RegExp(`^#{1,${level}} `, 'm'))
  return end < 0 ? rest : rest.slice(0, end)
}

/** The first cell of each table row written as `code`. */
const tableIds = (text: string) => [...text.matchAll(/^\| `([^`]+)` +\|/gm)].map((m) => m[1])

const yamlBlocks = (text: string) => [...text.matchAll(/```ya?ml\n([\s\S]*?)```/g)].map((m) => m[1])

describe('YAML examples', () => {
  const blocks = DOCS.flatMap((file) => yamlBlocks(read(file)).map((y) => [file, y] as const))

  it.each(blocks)('the example in %s parses with the VIGIE_CONFIG parser', (file, yaml) => {
    expect(() => parseConfigFile(yaml, file)).not.toThrow()
  })

  it("the README's example shows every key an entry accepts", () => {
    const [yaml] = yamlBlocks(README)
    const data = parse(yaml) as Record<string, Record<string, unknown>[]>
    expect(Object.keys(data).sort()).toEqual(Object.keys(ENTRY_KEYS).sort())
    for (const [list, keys] of Object.entries(ENTRY_KEYS)) {
      const shown = new Set(data[list].flatMap((entry) => Object.keys(entry)))
      expect(
        keys.filter((k) => !shown.has(k)),
        list,
      ).toEqual([])
    }
  })

  it('the channel kinds the example lists are the registered notifiers', () => {
    const m = /kind: slack +# (.+)$/m.exec(README)
    expect(m?.[1].split(/,\s*/)).toEqual([...notifiers.keys()])
  })

  it("each source kind's section in collectors/README.md names every key it accepts", () => {
    const doc = read('collectors/README.md')
    for (const c of collectors.values()) {
      const text = section(doc, `## ${c.id}`)
      const keys = Object.keys((c.schema as unknown as { shape: object }).shape)
      expect(
        keys.filter((k) => !text.includes(`\`${k}\``)),
        c.id,
      ).toEqual([])
    }
  })

  it("server/notifiers/README.md names every key of each channel kind's settings", () => {
    const doc = read('server/notifiers/README.md')
    for (const n of notifiers.values()) {
      const keys = Object.keys((n.schema as unknown as { shape: object }).shape)
      expect(
        keys.filter((k) => !doc.includes(`\`${k}\``)),
        n.id,
      ).toEqual([])
    }
  })
})

describe('environment variables', () => {
  const table = section(README, '## Configuration')
  const rows = new Map(
    [...table.matchAll(/^\| `([A-Z_]+)` \| ([^|]+) \|/gm)].map((m) => [m[1], m[2].trim()]),
  )

  /** Every NAME the code reads as env.NAME or process.env.NAME. */
  function readByCode(): string[] {
    const names = new Set<string>()
    const walk = (dir: string) => {
      for (const f of readdirSync(join(ROOT, dir))) {
        const path = join(dir, f)
        if (statSync(join(ROOT, path)).isDirectory()) walk(path)
        else if (/\.tsx?$/.test(f))
          for (const m of read(path).matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)) names.add(m[1])
      }
    }
    for (const dir of ['server', 'db', 'collectors']) walk(dir)
    return [...names].sort()
  }

  it('the README documents exactly the variables the code reads', () => {
    expect([...rows.keys()].sort()).toEqual(readByCode())
  })

  it('the documented defaults are the ones applied', () => {
    const c = parseConfig({})
    const literal = (name: string) => /^`([^`]*)`$/.exec(rows.get(name) ?? '')?.[1]
    expect(literal('PORT')).toBe(String(c.port))
    expect(literal('HOST')).toBe(c.host)
    expect(resolve(literal('DATABASE_URL')!)).toBe(
      c.database.kind === 'sqlite' ? c.database.path : '',
    )
    expect(literal('LOG_LEVEL')).toBe(c.logLevel)
    expect(literal('ALLOW_PRIVATE_URLS')).toBe(String(c.allowPrivateUrls))
    expect(literal('TRUST_PROXY')).toBe(String(c.trustProxy))
    expect(literal('POLL_CONCURRENCY')).toBe(String(c.pollConcurrency))
    expect(literal('POLL_PER_HOST')).toBe(String(c.pollPerHost))
    expect(literal('BASE_URL')).toBe('http://HOST:PORT')
    expect(parseConfig({ HOST: '0.0.0.0', PORT: '8080' }).baseUrl).toBe('http://0.0.0.0:8080')
    expect(rows.get('VIGIE_CONFIG')).toBe('—')
    expect(c.configFile).toBeUndefined()
    expect(rows.get('SMTP_URL')).toBe('—')
    expect(c.smtpUrl).toBeUndefined()
    // MAIL_FROM: the BASE_URL host, or localhost when that host is no mail domain
    expect(rows.get('MAIL_FROM')).toMatch(/^`Vigie <vigie@BASE_URL host>`.*`localhost`/)
    expect(parseConfig({ BASE_URL: 'https://vigie.acme.fr' }).mailFrom).toBe(
      'Vigie <vigie@vigie.acme.fr>',
    )
    expect(c.mailFrom).toBe('Vigie <vigie@localhost>')
  })
})

describe('npm scripts', () => {
  it('every script the documentation runs is in package.json', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> })
      .scripts
    const named = new Set<string>()
    for (const file of DOCS)
      for (const m of read(file).matchAll(/\bnpm (?:run (?:--silent )?([\w:-]+)|(start|test)\b)/g))
        named.add(m[1] ?? m[2])
    expect(named.size).toBeGreaterThan(8)
    expect([...named].filter((s) => !(s in scripts))).toEqual([])
  })
})

describe('source kinds and chat platforms', () => {
  it("the README's Sources table lists the registered collectors", () => {
    expect(tableIds(section(README, '## Sources')).sort()).toEqual([...collectors.keys()].sort())
  })

  it('collectors/README.md has a table row and a section per collector', () => {
    const doc = read('collectors/README.md')
    expect(tableIds(doc).sort()).toEqual([...collectors.keys()].sort())
    const sections = [...doc.matchAll(/^## (\S+)$/gm)].map((m) => m[1])
    expect(sections.sort()).toEqual([...collectors.keys()].sort())
  })

  it('server/notifiers/README.md lists the registered notifiers', () => {
    expect(tableIds(read('server/notifiers/README.md')).sort()).toEqual(
      [...notifiers.keys()].sort(),
    )
  })
})
