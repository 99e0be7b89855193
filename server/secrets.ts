// Secrets at rest: fields of type `secret` in source/channel config JSON (API keys, app passwords,
// webhook URLs, SMTP passwords) are stored encrypted with AES-256-GCM ("enc:v1:iv:tag:data",
// base64url) under a key from VIGIE_SECRET_KEY, or generated on first start into a 0600 file next
// to the database (back it up: without it the stored secrets are lost). Decryption happens in the
// db read path, so the rest of the app sees plain config; forms never render secrets back.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Config } from './config'
import type { Logger } from './log'
import { safeHost } from './notifiers/http'

const PREFIX = 'enc:v1:'

export class SecretKeyError extends Error {}

/** Parses a 32-byte key given as 64 hex characters or base64/base64url. */
export function parseKey(raw: string): Buffer {
  const s = raw.trim()
  const key = /^[0-9a-f]{64}$/i.test(s) ? Buffer.from(s, 'hex') : Buffer.from(s, 'base64url')
  if (key.length !== 32)
    throw new SecretKeyError(
      'VIGIE_SECRET_KEY must be 32 bytes, as 64 hex characters or base64 (openssl rand -base64 32)',
    )
  return key
}

export function keyFilePath(config: Pick<Config, 'database'>): string {
  // Next to a SQLite file; with Postgres in Vigie's own data/ folder, wherever it is started
  // from (relative to the working directory, a start from elsewhere made a new key silently)
  return config.database.kind === 'sqlite' && config.database.path !== ':memory:'
    ? join(dirname(config.database.path), 'vigie.key')
    : fileURLToPath(new URL('../data/vigie.key', import.meta.url))
}

/** The key from the environment, else from the key file, else a new one written to the file. */
export function loadSecretKey(
  config: Config,
  env: Record<string, string | undefined>,
  log: Logger,
): Buffer {
  if (env.VIGIE_SECRET_KEY) return parseKey(env.VIGIE_SECRET_KEY)
  const file = keyFilePath(config)
  if (existsSync(file)) return parseKey(readFileSync(file, 'utf8'))
  const key = randomBytes(32)
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, key.toString('base64url') + '\n', { mode: 0o600 })
  chmodSync(file, 0o600)
  log.warn('generated the key that encrypts stored secrets: back it up with the database', {
    file,
  })
  return key
}

// One key per process, installed at start-up. Until then (unit tests, scripts that never start
// the server) a random process key keeps the round trip working within the process.
let activeKey: Buffer = randomBytes(32)
export function useSecretKey(key: Buffer): void {
  activeKey = key
}

/** A key for one purpose derived from the active key (HKDF-SHA256): one secret, one use. */
export function derivedKey(purpose: string, key: Buffer = activeKey): Buffer {
  return Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), `vigie/${purpose}`, 32))
}

export function isEncrypted(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith(PREFIX)
}

export function encryptValue(plain: string, key: Buffer = activeKey): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, iv)
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  const tag = cipher.getAuthTag()
  return `${PREFIX}${iv.toString('base64url')}:${tag.toString('base64url')}:${data.toString('base64url')}`
}

export function decryptValue(stored: string, key: Buffer = activeKey): string {
  if (!isEncrypted(stored)) return stored // written before encryption existed
  const [iv, tag, data] = stored.slice(PREFIX.length).split(':')
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'))
    decipher.setAuthTag(Buffer.from(tag, 'base64url'))
    return Buffer.concat([
      decipher.update(Buffer.from(data, 'base64url')),
      decipher.final(),
    ]).toString('utf8')
  } catch {
    throw new SecretKeyError(
      'a stored secret cannot be decrypted: VIGIE_SECRET_KEY (or the vigie.key file) is not the one it was saved with',
    )
  }
}

type Fields = { name: string; type: string }[]

/** A copy of the config with every `secret` field encrypted (already encrypted ones kept). */
export function encryptSecrets(
  fields: Fields,
  config: Record<string, unknown>,
  key: Buffer = activeKey,
): Record<string, unknown> {
  const out = { ...config }
  for (const f of fields)
    if (
      f.type === 'secret' &&
      typeof out[f.name] === 'string' &&
      out[f.name] !== '' &&
      !isEncrypted(out[f.name])
    )
      out[f.name] = encryptValue(out[f.name] as string, key)
  return out
}

/**
 * A copy with secret fields decrypted. A value that cannot be decrypted (wrong key) is dropped, so
 * the source fails validation visibly ("required") instead of sending ciphertext to a vendor.
 */
export function decryptSecrets(
  fields: Fields,
  config: Record<string, unknown>,
  key: Buffer = activeKey,
): Record<string, unknown> {
  const out = { ...config }
  for (const f of fields)
    if (f.type === 'secret' && isEncrypted(out[f.name])) {
      try {
        out[f.name] = decryptValue(out[f.name] as string, key)
      } catch {
        delete out[f.name]
      }
    }
  return out
}

/**
 * What the form may show of a stored secret: the host of a URL and the last 4 characters of the
 * secret part (a URL's path and query, or the whole token), only when that part is long enough
 * for 4 characters to give nothing away.
 */
export function secretHint(value: unknown): string {
  const s = typeof value === 'string' ? value : ''
  if (!s) return ''
  const url = /^https?:\/\//.test(s)
  const secret = url ? s.replace(/^https?:\/\/[^/?#]*/, '') : s
  const tail = secret.length > 12 ? `…${secret.slice(-4)}` : '…'
  return url ? `${safeHost(s)}/${tail}` : `••••${tail}`
}

/**
 * Where a channel or source sends: the host (and port) of its first secret field holding an http(s)
 * URL. The rest of such a URL is the secret (Slack, Discord, Teams put the token in the path), and
 * a host alone is what a person needs to tell two channels apart.
 */
export function destinationHost(
  fields: Fields,
  config: Record<string, unknown>,
): string | undefined {
  for (const f of fields) {
    const value = config[f.name]
    if (f.type !== 'secret' || typeof value !== 'string' || !/^https?:\/\//i.test(value)) continue
    try {
      return new URL(value).host || undefined
    } catch {
      continue
    }
  }
  return undefined
}

/** The hint of each stored secret field of a config, by field name (for the settings forms). */
export function secretHints(
  fields: Fields,
  config: Record<string, unknown>,
): Record<string, string> {
  return Object.fromEntries(
    fields
      .filter((f) => f.type === 'secret' && config[f.name])
      .map((f) => [f.name, secretHint(config[f.name])]),
  )
}
