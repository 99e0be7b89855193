// SSRF guard for user-supplied URLs (sources, webhooks): only http(s), and every address the host
// name resolves to must be public — no loopback, private, link-local, CGNAT, multicast or reserved
// ranges, in IPv4, IPv6 and IPv4 embedded in IPv6 (mapped, NAT64, 6to4). The HTTP client calls it
// before each request and again for a redirect's target, and guardedFetch checks the address again
// when the socket connects — the very address it connects to — so a DNS answer that changes
// between the two (rebinding) is refused as well. ALLOW_PRIVATE_URLS turns it off (tests,
// intranets).
import { lookup as dnsLookup } from 'node:dns/promises'
import { BlockList, isIP } from 'node:net'
import { Agent, fetch as undiciFetch } from 'undici'
import { CollectorError } from '../collectors/http'

/** A refused URL; a CollectorError so a source shows it like any other failure. */
export class BlockedUrlError extends CollectorError {
  constructor(message: string) {
    super('forbidden_address', message)
    this.name = 'BlockedUrlError'
  }
}

const v4 = new BlockList()
for (const [net, bits] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const)
  v4.addSubnet(net, bits, 'ipv4')

const v6 = new BlockList()
for (const [net, bits] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const)
  v6.addSubnet(net, bits, 'ipv6')

/** Expands an IPv6 address into its eight 16-bit groups. */
function groups(ip: string): number[] {
  let s = ip.toLowerCase().replace(/%.*$/, '')
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(s)
  if (dotted) {
    const [a, b, c, d] = dotted[1].split('.').map(Number)
    s =
      s.slice(0, -dotted[1].length) +
      `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head, tail] = s.split('::')
  const h = head ? head.split(':') : []
  const t = tail !== undefined ? (tail ? tail.split(':') : []) : []
  const fill = tail !== undefined ? Array(8 - h.length - t.length).fill('0') : []
  return [...h, ...fill, ...t].map((x) => parseInt(x, 16))
}

function v4From(hi: number, lo: number): string {
  return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`
}

/** The IPv4 address an IPv6 one carries (mapped, compatible, NAT64, 6to4), if any. */
export function embeddedV4(ip: string): string | undefined {
  const g = groups(ip)
  if (g.length !== 8 || g.some((x) => Number.isNaN(x))) return undefined
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0)
  if (zeros(5) && g[5] === 0xffff) return v4From(g[6], g[7]) // ::ffff:a.b.c.d
  if (zeros(6) && (g[6] || g[7] > 1)) return v4From(g[6], g[7]) // ::a.b.c.d (deprecated)
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0))
    return v4From(g[6], g[7]) // NAT64 64:ff9b::/96
  if (g[0] === 0x2002) return v4From(g[1], g[2]) // 6to4
  return undefined
}

/** True when the address is not publicly routable (or not an IP address at all). */
export function isPrivateAddress(ip: string): boolean {
  const family = isIP(ip)
  if (family === 4) return v4.check(ip, 'ipv4')
  if (family === 6) {
    const inner = embeddedV4(ip)
    if (inner) return v4.check(inner, 'ipv4')
    return v6.check(ip.replace(/%.*$/, ''), 'ipv6')
  }
  return true
}

export type Lookup = (host: string) => Promise<string[]>

const systemLookup: Lookup = async (host) =>
  (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address)

/** Throws BlockedUrlError unless the URL is http(s) to public addresses only. */
export async function assertPublicUrl(raw: string, lookup: Lookup = systemLookup): Promise<void> {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new BlockedUrlError(`not a URL: ${raw}`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new BlockedUrlError(`only http and https URLs are allowed (${url.protocol})`)
  const host = url.hostname.replace(/^\[|\]$/g, '')
  if (!host) throw new BlockedUrlError(`no host in ${raw}`)
  let addresses: string[]
  if (isIP(host)) addresses = [host]
  else {
    if (/^(localhost|.*\.localhost|.*\.local|.*\.internal)$/i.test(host))
      throw new BlockedUrlError(`${host} is a local name (set ALLOW_PRIVATE_URLS to allow)`)
    try {
      addresses = await lookup(host)
    } catch (err) {
      throw new BlockedUrlError(`cannot resolve ${host}: ${(err as Error).message}`)
    }
    if (!addresses.length) throw new BlockedUrlError(`cannot resolve ${host}`)
  }
  const bad = addresses.find(isPrivateAddress)
  if (bad)
    throw new BlockedUrlError(
      `${host} resolves to ${bad}, a private, loopback or link-local address (set ALLOW_PRIVATE_URLS to allow)`,
    )
}

/** The checkUrl option for collectors/http.ts, or none when private URLs are allowed. */
export function urlGuard(allowPrivate: boolean, lookup?: Lookup) {
  return allowPrivate ? undefined : (url: string) => assertPublicUrl(url, lookup)
}

type LookupCallback = (
  err: Error | null,
  address: string | { address: string; family: number }[],
  family?: number,
) => void

/**
 * A fetch whose sockets only connect to public addresses: names are resolved at connect time
 * through `lookup`, and an answer holding a private address fails the request (undici's fetch,
 * the one Node ships, with its own connection pool). IP literals are not looked up; the URL check
 * before the request covers them.
 */
export function guardedFetch(
  lookup: Lookup = systemLookup,
  blocked: (ip: string) => boolean = isPrivateAddress,
): typeof fetch {
  const agent = new Agent({
    connect: {
      lookup(hostname: string, options: { all?: boolean }, callback: LookupCallback) {
        lookup(hostname).then(
          (addresses) => {
            const bad = addresses.find(blocked)
            if (!addresses.length) callback(new BlockedUrlError(`cannot resolve ${hostname}`), '')
            else if (bad)
              callback(
                new BlockedUrlError(
                  `${hostname} resolved to ${bad} when connecting, a private, loopback or link-local address`,
                ),
                '',
              )
            else if (options.all)
              callback(
                null,
                addresses.map((a) => ({ address: a, family: isIP(a) })),
              )
            else callback(null, addresses[0], isIP(addresses[0]))
          },
          (err: Error) => callback(err, ''),
        )
      },
    },
  })
  return ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    undiciFetch(input as never, { ...(init as object), dispatcher: agent } as never)) as never
}
