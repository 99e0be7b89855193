// The documentation is what an administrator follows, so its examples and lists are checked
// against the code here rather than trusted to stay in step: every YAML example parses with the
// real parser and shows every key, the environment table is what the code reads with the defaults
// it applies, the npm scripts it names exist, and the source kinds and chat platforms it lists are
// the registered ones.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'
import { ENTRY_KEYS, parseConfigFile } from '../server/config-file'
import { notifiers } from '../server/notifiers'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8')
const README = read('README.md')
const DOCS = ['README.md', 'collectors/README.md', 'server/notifiers/README.md', 'docs/privacy.md']

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
})
