// The evaluation CLI: usage errors, and its machine-readable last line on a tiny synthetic
// file (written here; no benchmark data is used).

import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const run = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'server/cli/eval-sentiment.ts', ...args], {
    encoding: 'utf8',
  })

describe('eval-sentiment CLI', () => {
  it('prints usage and fails on a missing file', () => {
    const r = run('/no/such/file.tsv')
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('no such file')
    expect(r.stderr).toContain('usage:')
  })

  it('rejects a bad --lang', () => {
    const r = run('x.tsv', '--lang', 'de')
    expect(r.status).toBe(2)
    expect(r.stderr).toContain('--lang expects en, fr or auto')
  })

  it('scores a labelled file and ends with the machine-readable line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-eval-'))
    const file = join(dir, 'tiny.tsv')
    writeFileSync(
      file,
      [
        'pos\tService impeccable, merci beaucoup !',
        "neg\tC'est une arnaque, service client injoignable",
        'neu\tLe magasin ouvre à 9h demain',
        'pos\tGreat app, I love it',
        'neg\tStill waiting for my refund, terrible',
        'neu\tThe store opens at 9 tomorrow',
      ].join('\n'),
    )
    const r = run(file)
    expect(r.status).toBe(0)
    const last = r.stdout.trim().split('\n').at(-1)
    expect(last).toMatch(/^acc=\d+\.\d macro_f1=\d+\.\d neg_f1=\d+\.\d texts_per_s=\d+$/)
    expect(last).toContain('acc=100.0')
  }, 30_000)
})
