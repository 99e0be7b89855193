// Process configuration, parsed once from the environment. Everything else (brands, sources,
// channels, users) lives in the database. A bad value stops start-up with one line naming it.
import { resolve } from 'node:path'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'

export interface Config {
  port: number
  host: string
  /** `sqlite` with a file path, or `postgres` with a connection URL. */
  database: { kind: 'sqlite'; path: string } | { kind: 'postgres'; url: string }
  configFile?: string
  baseUrl: string
  tz: string
  logLevel: LogLevel
  /** Let sources and webhooks target private/loopback addresses (tests, intranets). */
  allowPrivateUrls: boolean
  /** Behind one reverse proxy: take the client address from X-Forwarded-For's last entry. */
  trustProxy: boolean
  /** Concurrent source polls, and per host. */
  pollConcurrency: number
  pollPerHost: number
  /** Digest mail: smtp:// or smtps:// URL (credentials in it); none = digests cannot be sent. */
  smtpUrl?: string
  /** From: of the digest, an address or `Name <address>`. */
  mailFrom: string
}

export class ConfigError extends Error {}

function parsePort(name: string, raw: string): number {
  const n = Number(raw)
  if (!/^\d+$/.test(raw) || n < 0 || n > 65535)
    throw new ConfigError(`${name}="${raw}" is not a port number (0-65535)`)
  return n
}

function parseDatabase(raw: string): Config['database'] {
  if (/^postgres(ql)?:\/\//.test(raw)) return { kind: 'postgres', url: raw }
  if (raw.startsWith('sqlite:')) {
    const path = raw.replace(/^sqlite:(\/\/)?/, '')
    if (!path) throw new ConfigError(`DATABASE_URL="${raw}" has no file path after sqlite:`)
    return { kind: 'sqlite', path: path === ':memory:' ? path : resolve(path) }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw))
    throw new ConfigError(
      `DATABASE_URL="${raw}" must be a file path, a sqlite: URL or a postgres:// URL`,
    )
  return { kind: 'sqlite', path: raw === ':memory:' ? raw : resolve(raw) }
}

function parseBool(name: string, raw: string | undefined): boolean {
  if (raw === undefined || raw === '') return false
  if (/^(1|true|yes|on)$/i.test(raw)) return true
  if (/^(0|false|no|off)$/i.test(raw)) return false
  throw new ConfigError(`${name}="${raw}" must be true or false`)
}

function parsePositiveInt(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback
  if (!/^\d+$/.test(raw) || Number(raw) < 1)
    throw new ConfigError(`${name}="${raw}" must be a positive integer`)
  return Number(raw)
}

function parseSmtpUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined
  let u: URL
  try {
    u = new URL(raw)
  } catch {
    throw new ConfigError(`SMTP_URL is not a URL (expected smtp://user:pass@host:587 or smtps://…)`)
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:')
    throw new ConfigError(`SMTP_URL must start with smtp:// or smtps:// (got ${u.protocol}//)`)
  if (!u.hostname) throw new ConfigError('SMTP_URL has no host name')
  return raw
}

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/

function parseMailFrom(raw: string | undefined, baseUrl: string): string {
  if (!raw) {
    const host = new URL(baseUrl).hostname
    // An IP literal is no mail domain; most servers refuse vigie@127.0.0.1.
    return `Vigie <vigie@${/^[\d.]+$|^\[/.test(host) || !host.includes('.') ? 'localhost' : host}>`
  }
  const m = /^(?:[^<>]*<([^<>]+)>|([^<>]+))$/.exec(raw.trim())
  const addr = (m?.[1] ?? m?.[2] ?? '').trim()
  if (!ADDRESS.test(addr))
    throw new ConfigError(
      `MAIL_FROM="${raw}" must be an address such as vigie@example.com or "Vigie <vigie@example.com>"`,
    )
  return raw.trim()
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const port = parsePort('PORT', env.PORT ?? '3000')
  const host = env.HOST || '127.0.0.1'
  const tz = env.TZ || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz })
  } catch {
    throw new ConfigError(`TZ="${tz}" is not a known IANA time zone (e.g. Europe/Paris)`)
  }
  const logLevel = (env.LOG_LEVEL || 'info').toLowerCase()
  if (!['debug', 'info', 'warn', 'error', 'silent'].includes(logLevel))
    throw new ConfigError(
      `LOG_LEVEL="${env.LOG_LEVEL}" must be one of debug, info, warn, error, silent`,
    )
  const baseUrl = (
    env.BASE_URL || `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  ).replace(/\/+$/, '')
  try {
    const u = new URL(baseUrl)
    if (!/^https?:$/.test(u.protocol)) throw new Error()
  } catch {
    throw new ConfigError(
      env.BASE_URL
        ? `BASE_URL="${env.BASE_URL}" must be an http(s) URL such as https://vigie.example.com`
        : `HOST="${host}" is not a host name or IP address`,
    )
  }
  return {
    port,
    host,
    database: parseDatabase(env.DATABASE_URL || './data/vigie.db'),
    configFile: env.VIGIE_CONFIG || undefined,
    baseUrl,
    tz,
    logLevel: logLevel as LogLevel,
    allowPrivateUrls: parseBool('ALLOW_PRIVATE_URLS', env.ALLOW_PRIVATE_URLS),
    trustProxy: parseBool('TRUST_PROXY', env.TRUST_PROXY),
    pollConcurrency: parsePositiveInt('POLL_CONCURRENCY', env.POLL_CONCURRENCY, 4),
    pollPerHost: parsePositiveInt('POLL_PER_HOST', env.POLL_PER_HOST, 1),
    smtpUrl: parseSmtpUrl(env.SMTP_URL),
    mailFrom: parseMailFrom(env.MAIL_FROM, baseUrl),
  }
}
