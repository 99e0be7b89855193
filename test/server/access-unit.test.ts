// Pure access logic, table-driven: password hashing, TOTP with a pinned clock (RFC 6238 vector),
// the sign-in throttle, keyed-hash exclusion matching, SSRF ranges and CSV cells.
import { describe, expect, it } from 'vitest'
import { addExclusion, authorKeys, keyedHash, loadExclusionMatcher } from '../../db/exclusions'
import { hashPassword, passwordProblem, verifyPassword } from '../../server/auth/passwords'
import {
  delayFor,
  pruneSigninFailures,
  signinFailed,
  signinSucceeded,
  signinWaitMs,
} from '../../server/auth/rate-limit'
import { totpCode, verifyTotp } from '../../server/auth/totp'
import { csvCell } from '../../server/export'
import { assertPublicUrl, embeddedV4, isPrivateAddress } from '../../server/ssrf'
import { insertBrand } from '../../db/brands'
import { freshDb } from '../helpers/db'

describe('passwords', () => {
  it('hashes with scrypt and a salt, verifies, refuses wrong ones', async () => {
    const a = await hashPassword('correct horse battery')
    const b = await hashPassword('correct horse battery')
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/)
    expect(a).not.toBe(b)
    expect(await verifyPassword('correct horse battery', a)).toBe(true)
    expect(await verifyPassword('correct horse batterY', a)).toBe(false)
    expect(await verifyPassword('anything', null)).toBe(false)
    expect(await verifyPassword('anything', 'garbage')).toBe(false)
  })
  it.each([
    ['short', 'too-short'],
    ['aaaaaaaaaaaa', 'too-simple'],
    ['une phrase de passe', null],
  ])('%s → %s', (pw, problem) => expect(passwordProblem(pw)).toBe(problem))
})

describe('TOTP', () => {
  // RFC 6238 appendix B, SHA-1 secret "12345678901234567890"; we use 6 digits (last 6 of 8).
  const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'
  it.each([
    [59, '287082'],
    [1111111109, '081804'],
    [1234567890, '005924'],
    [2000000000, '279037'],
  ])('at %i s the code is %s', (t, code) => {
    expect(totpCode(secret, new Date(t * 1000))).toBe(code)
    expect(verifyTotp(secret, code, new Date(t * 1000))).toBe(true)
  })
  it('accepts one step of drift, not two; rejects junk', () => {
    const at = new Date(1234567890 * 1000)
    const code = totpCode(secret, at)
    expect(verifyTotp(secret, code, new Date(at.getTime() + 30_000))).toBe(true)
    expect(verifyTotp(secret, code, new Date(at.getTime() + 90_000))).toBe(false)
    expect(verifyTotp(secret, '12345', at)).toBe(false)
    expect(verifyTotp(secret, 'abcdef', at)).toBe(false)
    expect(verifyTotp(secret, code.slice(0, 3) + ' ' + code.slice(3), at)).toBe(true)
  })
})

describe('sign-in throttle', () => {
  it.each([
    [0, 0],
    [2, 0],
    [3, 1000],
    [4, 2000],
    [8, 32000],
    [30, 15 * 60 * 1000],
  ])('%i failures → %i ms', (n, ms) => expect(delayFor(n)).toBe(ms))

  it('waits per key, and a success clears the account only', async () => {
    const db = await freshDb()
    try {
      const now = new Date('2026-01-01T00:00:00Z')
      const keys = ['acct:a', 'ip:1']
      for (let i = 0; i < 4; i++) await signinFailed(db.db, keys, now)
      expect(await signinWaitMs(db.db, keys, now)).toBe(2000) // the account's 3 free failures
      expect(await signinWaitMs(db.db, ['acct:b', 'ip:1'], now)).toBe(0) // the address has 10
      for (let i = 0; i < 8; i++) await signinFailed(db.db, ['acct:c', 'ip:1'], now)
      expect(await signinWaitMs(db.db, ['acct:b', 'ip:1'], now)).toBe(4000) // 12 from there
      expect(await signinWaitMs(db.db, ['acct:a'], new Date(now.getTime() + 2000))).toBe(0)
      await signinSucceeded(db.db, ['acct:a'])
      expect(await signinWaitMs(db.db, ['acct:a', 'ip:2'], now)).toBe(0)
      expect(await signinWaitMs(db.db, ['ip:1'], now)).toBe(4000)
    } finally {
      await db.cleanup()
    }
  })

  it('forgives a count left alone for a day, and the nightly prune drops it', async () => {
    const db = await freshDb()
    try {
      const t0 = new Date('2026-01-01T00:00:00Z')
      for (let i = 0; i < 10; i++) await signinFailed(db.db, ['acct:a'], t0)
      await signinFailed(db.db, ['acct:b'], new Date('2026-01-01T20:00:00Z'))
      const dayLater = new Date('2026-01-02T00:00:01Z')
      expect(await signinWaitMs(db.db, ['acct:a'], dayLater)).toBe(0)
      // the next failure starts a new count: free again, not 2^8 seconds
      await signinFailed(db.db, ['acct:a'], dayLater)
      expect(await signinWaitMs(db.db, ['acct:a'], dayLater)).toBe(0)
      expect(await pruneSigninFailures(db.db, new Date('2026-01-02T21:00:00Z'))).toBe(1)
      const left = await db.db.selectFrom('signin_failures').selectAll().orderBy('key').execute()
      expect(left).toEqual([{ key: 'acct:a', failures: 1, last_at: dayLater.toISOString() }])
    } finally {
      await db.cleanup()
    }
  })
})

describe('exclusions (keyed hashes)', () => {
  it('stores no clear value and matches by handle, platform, brand and parent domain', async () => {
    const db = await freshDb()
    try {
      const now = new Date()
      for (let i = 1; i <= 8; i++) await insertBrand(db.db, { name: `B${i}`, query: `B${i}` }, now)
      await addExclusion(
        db.db,
        { kind: 'author', value: '@Marie.Curie', platform: 'mastodon' },
        now,
      )
      await addExclusion(
        db.db,
        { kind: 'domain', value: 'https://www.intranet.example/x', brandId: 7 },
        now,
      )
      const rows = await db.db.selectFrom('exclusions').selectAll().execute()
      expect(JSON.stringify(rows)).not.toMatch(/curie|intranet/)
      expect(rows[0].value_hash).not.toBe(keyedHash('other-secret', 'marie.curie'))
      const m = await loadExclusionMatcher(db.db)
      const cases: [string | null, string, string, number, boolean][] = [
        ['marie.curie', 'https://a.example', 'mastodon', 1, true],
        ['@MARIE.CURIE', 'https://a.example', 'mastodon', 2, true],
        ['marie.curie', 'https://a.example', 'bluesky', 1, false],
        ['marie', 'https://a.example', 'mastodon', 1, false],
        // the README's "@staff.member" form names the person on any instance
        ['marie.curie@masto.example', 'https://a.example', 'mastodon', 1, true],
        ['@Marie.Curie@piaille.fr', 'https://a.example', 'mastodon', 1, true],
        ['marie.curie@news.example', 'https://a.example', 'rss', 1, false],
        [null, 'https://news.intranet.example/p', 'rss', 7, true],
        [null, 'https://news.intranet.example/p', 'rss', 8, false],
        [null, 'https://intranet.example.com/p', 'rss', 7, false],
      ]
      for (const [author, url, platform, brand, want] of cases)
        expect(
          m.excludes({ author, url }, platform, brand),
          `${author} ${url} ${platform} ${brand}`,
        ).toBe(want)
    } finally {
      await db.cleanup()
    }
  })

  it.each([
    ['@Jane_Doe', ['jane_doe']],
    [
      'jane@news.example (Jane Reporter)',
      ['jane@news.example (jane reporter)', 'jane@news.example', 'jane reporter'],
    ],
    [
      'Jane Reporter <Jane@News.example>',
      ['jane reporter <jane@news.example>', 'jane reporter', 'jane@news.example'],
    ],
    [
      '"Jane R." <jane@news.example>',
      ['"jane r." <jane@news.example>', 'jane r.', 'jane@news.example'],
    ],
    ['https://mastodon.example/@jane', ['mastodon.example/@jane']],
    ['Jane (the reporter)', ['jane (the reporter)']],
  ])('author %s is known as %j', (author, keys) => {
    expect(authorKeys(author)).toEqual(keys)
  })

  it.each([
    ['staff.member@masto.example', 'mastodon', ['staff.member@masto.example', 'staff.member']],
    ['@Staff@lemmy.world', 'lemmy', ['staff@lemmy.world', 'staff']],
    ['staff.member', 'mastodon', ['staff.member']],
    // an e-mail address in a feed: "jane" alone names nobody in particular
    ['jane@news.example', 'rss', ['jane@news.example']],
  ])('on %s (%s) the user part counts too', (author, platform, keys) => {
    expect(authorKeys(author, platform)).toEqual(keys)
  })
})

describe('SSRF guard', () => {
  const addresses: [string, boolean][] = [
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.16.0.1', true],
    ['172.32.0.1', false],
    ['192.168.1.1', true],
    ['169.254.169.254', true],
    ['100.64.0.1', true],
    ['0.0.0.0', true],
    ['224.0.0.1', true],
    ['255.255.255.255', true],
    ['8.8.8.8', false],
    ['93.184.216.34', false],
    ['::1', true],
    ['::', true],
    ['fe80::1', true],
    ['fd00::1', true],
    ['fc12:3456::1', true],
    ['ff02::1', true],
    ['2001:4860:4860::8888', false],
    ['::ffff:127.0.0.1', true],
    ['::ffff:7f00:1', true],
    ['::ffff:8.8.8.8', false],
    ['::ffff:169.254.169.254', true],
    ['64:ff9b::a9fe:a9fe', true],
    ['2002:c0a8:0101::1', true],
    ['2002:0808:0808::1', false],
    ['not-an-ip', true],
  ]
  it.each(addresses)('%s private=%s', (ip, priv) => expect(isPrivateAddress(ip)).toBe(priv))

  it('extracts IPv4 from mapped, NAT64 and 6to4 forms', () => {
    expect(embeddedV4('::ffff:10.0.0.1')).toBe('10.0.0.1')
    expect(embeddedV4('64:ff9b::808:808')).toBe('8.8.8.8')
    expect(embeddedV4('2002:0a00:0001::')).toBe('10.0.0.1')
    expect(embeddedV4('2001:db8::1')).toBeUndefined()
  })

  it('checks every address a name resolves to, and the scheme', async () => {
    const dns = (map: Record<string, string[]>) => async (h: string) => {
      if (!map[h]) throw new Error('ENOTFOUND')
      return map[h]
    }
    const lookup = dns({
      'ok.example': ['93.184.216.34', '2606:2800:220:1::1'],
      'mixed.example': ['93.184.216.34', '10.0.0.5'],
      'rebind.example': ['::ffff:127.0.0.1'],
    })
    await expect(assertPublicUrl('https://ok.example/feed', lookup)).resolves.toBeUndefined()
    await expect(assertPublicUrl('https://mixed.example/', lookup)).rejects.toThrow(/10\.0\.0\.5/)
    await expect(assertPublicUrl('http://rebind.example/', lookup)).rejects.toThrow(/private/)
    await expect(assertPublicUrl('http://[::1]:8080/', lookup)).rejects.toThrow(/::1/)
    await expect(assertPublicUrl('http://localhost/', lookup)).rejects.toThrow(/local name/)
    await expect(assertPublicUrl('file:///etc/passwd', lookup)).rejects.toThrow(/only http/)
    await expect(assertPublicUrl('http://nx.example/', lookup)).rejects.toThrow(/cannot resolve/)
    await expect(assertPublicUrl('http://2130706433/', lookup)).rejects.toThrow(/127\.0\.0\.1/)
  })
})

describe('CSV cells', () => {
  it.each([
    ['plain', '"plain"'],
    ['=1+1', `"'=1+1"`],
    ['+33 6', `"'+33 6"`],
    ['-2', `"'-2"`],
    [-0.275, '-0.275'],
    [42, '42'],
    ['@SUM(A1)', `"'@SUM(A1)"`],
    ['say "hi"', '"say ""hi"""'],
    [null, '""'],
  ])('%s → %s', (v, out) => expect(csvCell(v)).toBe(out))
  // the semicolon variant, for Excel in French: decimal commas, text as before
  it.each([
    [-0.275, '-0,275'],
    [42, '42'],
    ['0.5', '"0.5"'],
    ['a;b', '"a;b"'],
  ])('%s → %s with decimal commas', (v, out) => expect(csvCell(v, true)).toBe(out))
})
