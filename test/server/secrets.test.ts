// Secrets at rest: AES-256-GCM round trip, a wrong key refused, source secret fields stored
// encrypted and read back plain through db/sources.ts, and the key file created 0600.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../db'
import { getChannel, insertChannel, upsertChannel } from '../../db/channels'
import { getSource, insertSource, listSources, updateSource } from '../../db/sources'
import { parseConfig } from '../../server/config'
import { createLogger } from '../../server/log'
import {
  decryptSecrets,
  decryptValue,
  encryptSecrets,
  encryptValue,
  keyFilePath,
  loadSecretKey,
  parseKey,
  secretHint,
} from '../../server/secrets'
import { freshDb } from '../helpers/db'

const key = Buffer.alloc(32, 7)
const fields = [
  { name: 'token', type: 'secret' },
  { name: 'url', type: 'url' },
]

describe('secret values', () => {
  it('round-trips, never equals the plain text, and refuses another key', () => {
    const a = encryptValue('ghp_abcdef123456', key)
    const b = encryptValue('ghp_abcdef123456', key)
    expect(a).toMatch(/^enc:v1:/)
    expect(a).not.toContain('ghp_')
    expect(a).not.toBe(b) // random IV
    expect(decryptValue(a, key)).toBe('ghp_abcdef123456')
    expect(() => decryptValue(a, Buffer.alloc(32, 8))).toThrow(/not the one it was saved with/)
    const c = a.at(-3)!
    const tampered = a.slice(0, -3) + (c === 'A' ? 'B' : 'A') + a.slice(-2)
    expect(() => decryptValue(tampered, key)).toThrow()
  })

  it('encrypts only secret fields, keeps others, and drops an undecryptable secret', () => {
    const sealed = encryptSecrets(fields, { token: 's3cret-value', url: 'https://x.example' }, key)
    expect(sealed.url).toBe('https://x.example')
    expect(String(sealed.token)).toMatch(/^enc:v1:/)
    expect(encryptSecrets(fields, sealed, key)).toEqual(sealed) // idempotent
    expect(decryptSecrets(fields, sealed, key)).toEqual({
      token: 's3cret-value',
      url: 'https://x.example',
    })
    expect(decryptSecrets(fields, sealed, Buffer.alloc(32, 1))).toEqual({
      url: 'https://x.example',
    })
  })

  it.each([
    ['a'.repeat(64), 32],
    [Buffer.alloc(32, 3).toString('base64'), 32],
  ])('parses key %s', (raw, len) => expect(parseKey(raw).length).toBe(len))
  it('refuses a short key', () => expect(() => parseKey('abc')).toThrow(/32 bytes/))

  // what a settings form shows of a stored secret: enough to recognise it, never enough to use it
  it.each([
    ['', ''],
    [undefined, ''],
    ['short-token', '••••…'],
    ['xoxb-1234567890-abcdef', '••••…cdef'],
    ['https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXabcd', 'hooks.slack.com/…abcd'],
    ['http://h.example/k', 'h.example/…'],
    ['https://', 'an invalid URL/…'],
  ])('hints %j as %j', (stored, hint) => expect(secretHint(stored)).toBe(hint))
})

describe('database file', () => {
  it('is created readable by its owner only, and so are its -wal and -shm files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-db-'))
    try {
      const opened = await openDatabase({ kind: 'sqlite', path: join(dir, 'vigie.db') })
      for (const f of ['vigie.db', 'vigie.db-wal', 'vigie.db-shm'])
        expect(statSync(join(dir, f)).mode & 0o777, f).toBe(0o600)
      await opened.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('key file', () => {
  it('is generated once next to the database with 0600 permissions and a warning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-key-'))
    try {
      const config = parseConfig({ DATABASE_URL: join(dir, 'vigie.db') })
      const lines: string[] = []
      const log = createLogger('warn', (l) => lines.push(l))
      const k1 = loadSecretKey(config, {}, log)
      const k2 = loadSecretKey(config, {}, log)
      expect(k1.equals(k2)).toBe(true)
      expect(statSync(join(dir, 'vigie.key')).mode & 0o777).toBe(0o600)
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(/back it up/)
      expect(readFileSync(join(dir, 'vigie.key'), 'utf8').trim()).toBe(k1.toString('base64url'))
      const fromEnv = loadSecretKey(config, { VIGIE_SECRET_KEY: 'b'.repeat(64) }, log)
      expect(fromEnv.toString('hex')).toBe('b'.repeat(64))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it("with Postgres, lives in Vigie's own data folder whatever the working directory", () => {
    const config = parseConfig({ DATABASE_URL: 'postgres://vigie@db.example/vigie' })
    const here = process.cwd()
    const project = fileURLToPath(new URL('../../', import.meta.url))
    try {
      process.chdir(tmpdir())
      expect(keyFilePath(config)).toBe(join(project, 'data', 'vigie.key'))
    } finally {
      process.chdir(here)
    }
  })
})

describe('sources store secret fields encrypted', () => {
  it('writes ciphertext, reads plain text, keeps signatures', async () => {
    const tdb = await freshDb()
    try {
      const now = new Date()
      const s = await insertSource(
        tdb.db,
        {
          name: 'GH',
          kind: 'github',
          config: { token: 'ghp_supersecret_123' },
          intervalSeconds: 900,
        },
        now,
      )
      expect(JSON.parse(s.config).token).toBe('ghp_supersecret_123')
      const raw = await tdb.db.selectFrom('sources').select('config').executeTakeFirstOrThrow()
      expect(raw.config).not.toContain('ghp_supersecret_123')
      expect(JSON.parse(raw.config).token).toMatch(/^enc:v1:/)
      expect(JSON.parse((await getSource(tdb.db, s.id))!.config).token).toBe('ghp_supersecret_123')
      expect(JSON.parse((await listSources(tdb.db))[0].config).token).toBe('ghp_supersecret_123')
      await updateSource(tdb.db, s.id, { config: { token: 'ghp_rotated_456' } }, now)
      const raw2 = await tdb.db.selectFrom('sources').select('config').executeTakeFirstOrThrow()
      expect(raw2.config).not.toContain('ghp_rotated_456')
      expect(JSON.parse((await getSource(tdb.db, s.id))!.config).token).toBe('ghp_rotated_456')
    } finally {
      await tdb.cleanup()
    }
  })
})

describe('channels store webhook URLs encrypted', () => {
  it('writes ciphertext, reads plain text, and YAML re-application stays "unchanged"', async () => {
    const tdb = await freshDb()
    try {
      const now = new Date()
      const hook = 'https://hooks.slack.com/services/T000/B000/XXXXsecretTOKEN1234'
      const input = {
        name: 'Ops',
        kind: 'slack',
        config: { url: hook },
        lang: 'fr' as const,
        brandIds: [],
        alertKinds: [],
        quietHours: null,
        enabled: true,
      }
      const ch = await insertChannel(tdb.db, input, now)
      const raw = await tdb.db.selectFrom('channels').select('config').executeTakeFirstOrThrow()
      expect(raw.config).not.toContain('XXXXsecretTOKEN1234')
      expect(JSON.parse((await getChannel(tdb.db, ch.id))!.config).url).toBe(hook)
      expect(await upsertChannel(tdb.db, input, now)).toBe('unchanged')
    } finally {
      await tdb.cleanup()
    }
  })
})
