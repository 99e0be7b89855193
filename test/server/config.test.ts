import { describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from '../../server/config'

describe('parseConfig', () => {
  it('has working defaults', () => {
    const c = parseConfig({ TZ: 'Europe/Paris' })
    expect(c.port).toBe(3000)
    expect(c.host).toBe('127.0.0.1')
    expect(c.database).toMatchObject({ kind: 'sqlite' })
    expect((c.database as { path: string }).path).toMatch(/data\/vigie\.db$/)
    expect(c.baseUrl).toBe('http://127.0.0.1:3000')
    expect(c.logLevel).toBe('info')
  })

  const ok: [Record<string, string>, (c: ReturnType<typeof parseConfig>) => unknown, unknown][] = [
    [
      { DATABASE_URL: 'sqlite:///tmp/x.db' },
      (c) => c.database,
      { kind: 'sqlite', path: '/tmp/x.db' },
    ],
    [
      { DATABASE_URL: 'sqlite:rel.db' },
      (c) => (c.database as { path: string }).path.endsWith('/rel.db'),
      true,
    ],
    [{ DATABASE_URL: 'postgres://u:p@localhost/vigie' }, (c) => c.database.kind, 'postgres'],
    [{ PORT: '8080', HOST: '0.0.0.0' }, (c) => c.baseUrl, 'http://0.0.0.0:8080'],
    [{ BASE_URL: 'https://vigie.example.com/' }, (c) => c.baseUrl, 'https://vigie.example.com'],
    [{ LOG_LEVEL: 'DEBUG' }, (c) => c.logLevel, 'debug'],
    [{ ALLOW_PRIVATE_URLS: 'true' }, (c) => c.allowPrivateUrls, true],
  ]
  it.each(ok)('%j', (env, get, expected) =>
    expect(get(parseConfig({ TZ: 'UTC', ...env }))).toEqual(expected),
  )

  const bad: [Record<string, string>, RegExp][] = [
    [{ PORT: 'abc' }, /^PORT="abc" is not a port number/],
    [{ PORT: '70000' }, /^PORT=/],
    [{ TZ: 'Mars/Olympus' }, /^TZ="Mars\/Olympus" is not a known IANA time zone/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL="loud" must be one of/],
    [{ BASE_URL: 'ftp://x' }, /^BASE_URL="ftp:\/\/x" must be an http\(s\) URL/],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL="mysql:\/\/x"/],
    [{ DATABASE_URL: 'sqlite:' }, /^DATABASE_URL="sqlite:" has no file path/],
    [{ ALLOW_PRIVATE_URLS: 'maybe' }, /^ALLOW_PRIVATE_URLS="maybe" must be true or false/],
    [{ POLL_CONCURRENCY: '0' }, /^POLL_CONCURRENCY="0" must be a positive integer/],
  ]
  it.each(bad)('rejects %j with one line naming the variable', (env, message) => {
    expect(() => parseConfig({ TZ: 'UTC', ...env })).toThrow(ConfigError)
    expect(() => parseConfig({ TZ: 'UTC', ...env })).toThrow(message)
  })
})
