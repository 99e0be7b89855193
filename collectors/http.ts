// The one HTTP client every collector uses: timeout, body size cap, User-Agent, conditional GET
// (RFC 9110 §13: ETag / If-None-Match, Last-Modified / If-Modified-Since), 304 as "nothing new",
// 429/503 with Retry-After (RFC 9110 §10.2.3), bodies decoded in their declared charset (RFC 9110
// §8.3.2, XML 1.0 §4.3.3), and errors classified so the UI can say in plain words what went
// wrong. Modelled on Miniflux's reader/fetcher.

export type ErrorCode =
  | 'unreachable' // DNS, refused, reset
  | 'timeout'
  | 'too_large'
  | 'malformed' // body could not be parsed
  | 'auth' // 401/403 with credentials configured, or refused credentials
  | 'blocked' // 403 without credentials: often this IP is refused
  | 'not_found' // 404
  | 'gone' // 410: the source is gone for good
  | 'rate_limited' // 429
  | 'quota' // daily quota spent
  | 'server' // 5xx
  | 'http' // other 4xx
  | 'config' // invalid source configuration
  | 'forbidden_address' // private/loopback target refused (SSRF guard)
  | 'internal' // the source answered; Vigie failed storing it (database locked, full, unreachable)

export class CollectorError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly status?: number,
    public readonly retryAfterMs?: number,
  ) {
    super(message)
    this.name = 'CollectorError'
  }
}

/**
 * What escapes a collector's `collect` as a CollectorError. Anything else (a TypeError on a field
 * of an unexpected type, an invalid date) is Vigie failing to read what the source sent, so it is
 * `malformed`, never `server`: the Sources page must not blame the remote site for our parsing.
 */
export function collectFailure(err: unknown): CollectorError {
  if (err instanceof CollectorError) return err
  const detail = err instanceof Error ? err.message : String(err)
  return new CollectorError('malformed', `could not read the response (${detail.slice(0, 160)})`)
}

export interface HttpRequest {
  url: string
  method?: 'GET' | 'POST' | 'PATCH'
  headers?: Record<string, string>
  body?: string
  /** Validators from the previous response, for a conditional GET. */
  etag?: string
  lastModified?: string
  timeoutMs?: number
  maxBytes?: number
  /** Statuses the caller handles itself instead of getting a CollectorError. */
  acceptStatus?: number[]
  /**
   * false: a 3xx is returned as it is (status and Location, empty body) instead of followed. For
   * webhooks: following would turn a POST into a GET (301/302/303) and report the GET's answer.
   */
  followRedirects?: boolean
  /**
   * true: past maxBytes, keep the first maxBytes and stop reading (`truncated` is set) instead of
   * failing with too_large. For webhooks, whose answer matters for its status, not its size.
   */
  truncateBody?: boolean
}

export interface HttpResponse {
  status: number
  url: string
  headers: Headers
  body: string
  notModified: boolean
  /** The body is only the first maxBytes (truncateBody). */
  truncated?: boolean
  etag?: string
  lastModified?: string
}

export interface HttpClientOptions {
  fetch?: typeof fetch
  userAgent?: string
  timeoutMs?: number
  maxBytes?: number
  now?: () => Date
  /** Called before each request with the URL; throws to refuse (SSRF guard). */
  checkUrl?: (url: string) => Promise<void> | void
}

export interface HttpClient {
  request(req: HttpRequest): Promise<HttpResponse>
  json<T = unknown>(req: HttpRequest): Promise<{ data: T; response: HttpResponse }>
}

export const DEFAULT_USER_AGENT =
  'Vigie/0.1 (self-hosted brand monitoring; +https://github.com/vigie-listening/vigie)'
const DEFAULT_TIMEOUT_MS = 20_000
const DEFAULT_MAX_BYTES = 10 * 1024 * 1024

/**
 * The longest Retry-After believed: a day, the longest a failing source's back-off waits (README).
 * A broken or hostile server's "Retry-After: 99999999" would otherwise park a source or a chat
 * message for years, or past the range of a Date.
 */
export const MAX_RETRY_AFTER_MS = 24 * 3600_000

/** Parses Retry-After (delta-seconds or HTTP-date) into milliseconds from now, at most a day. */
export function parseRetryAfter(value: string | null, now: Date): number | undefined {
  if (!value) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, MAX_RETRY_AFTER_MS)
  const at = Date.parse(trimmed)
  if (Number.isNaN(at)) return undefined
  return Math.min(Math.max(0, at - now.getTime()), MAX_RETRY_AFTER_MS)
}

function host(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

export function classifyStatus(
  status: number,
  url: string,
  hasCredentials: boolean,
  retryAfterMs?: number,
): CollectorError {
  const where = host(url)
  if (status === 401)
    return new CollectorError('auth', `HTTP 401: ${where} refused the credentials`, status)
  if (status === 403)
    return hasCredentials
      ? new CollectorError(
          'auth',
          `HTTP 403: ${where} refused access with these credentials`,
          status,
        )
      : new CollectorError(
          'blocked',
          `HTTP 403: ${where} refused the request (blocked from this IP?)`,
          status,
        )
  if (status === 404) return new CollectorError('not_found', `HTTP 404: nothing at ${url}`, status)
  if (status === 410) return new CollectorError('gone', `HTTP 410: ${url} is gone for good`, status)
  if (status === 429)
    return new CollectorError(
      'rate_limited',
      `HTTP 429: ${where} asks us to slow down`,
      status,
      retryAfterMs,
    )
  if (status >= 500)
    return new CollectorError(
      'server',
      `HTTP ${status}: ${where} had a server error`,
      status,
      retryAfterMs,
    )
  return new CollectorError('http', `HTTP ${status} from ${url}`, status)
}

/** windows-1252's 0x80–0x9F (the rest is Latin-1); unassigned bytes stay C1 controls. */
const CP1252_HIGH = '€\x81‚ƒ„…†‡ˆ‰Š‹Œ\x8DŽ\x8F\x90‘’“”•–—˜™š›œ\x9DžŸ'

/**
 * Bytes to text for a charset label; one TextDecoder does not know is read as UTF-8, not an
 * error. windows-1252 (which the WHATWG Encoding standard also uses for "iso-8859-1" and
 * "latin1") is decoded here: Node 20's TextDecoder turns its 0x80–0x9F (’ € « œ) into controls.
 */
function decodeAs(label: string, bytes: Uint8Array): string {
  let decoder: TextDecoder
  try {
    decoder = new TextDecoder(label.trim().toLowerCase())
  } catch {
    decoder = new TextDecoder('utf-8')
  }
  if (decoder.encoding !== 'windows-1252') return decoder.decode(bytes)
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('latin1')
    .replace(/[\x80-\x9f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80])
}

/** The charset a byte-order mark announces, if the body starts with one. */
function bomCharset(b: Uint8Array): string | undefined {
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return 'utf-8'
  if (b[0] === 0xff && b[1] === 0xfe) return 'utf-16le'
  if (b[0] === 0xfe && b[1] === 0xff) return 'utf-16be'
  return undefined
}

/** `encoding="…"` of an XML prolog, read from the first bytes as ASCII. */
function prologCharset(b: Uint8Array): string | undefined {
  const head = Buffer.from(b.subarray(0, 200)).toString('latin1')
  const m = /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head)
  // A prolog readable as ASCII cannot be UTF-16, whatever it claims.
  return m && !/^utf-?16/i.test(m[1]) ? m[1] : undefined
}

/**
 * Bytes to text in the charset the response declares: Content-Type `charset=` first, then a
 * byte-order mark, then an XML prolog's `encoding=` (many Latin-1 and windows-1252 feeds declare
 * it only there), else UTF-8. A "utf-16" without byte order takes the BOM's.
 */
export function decodeBody(bytes: Uint8Array, contentType: string | null): string {
  const declared = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1]
  const bom = bomCharset(bytes)
  let charset = declared ?? bom ?? prologCharset(bytes) ?? 'utf-8'
  if (/^utf-?16$/i.test(charset) && bom?.startsWith('utf-16')) charset = bom
  return decodeAs(charset, bytes)
}

async function readCapped(
  res: Response,
  maxBytes: number,
  url: string,
  truncate = false,
): Promise<{ body: string; truncated: boolean }> {
  const declared = Number(res.headers.get('content-length'))
  if (declared > maxBytes && !truncate) {
    await res.body?.cancel().catch(() => {})
    throw new CollectorError(
      'too_large',
      `body of ${url} is ${declared} bytes, over the ${maxBytes}-byte cap`,
    )
  }
  if (!res.body) return { body: '', truncated: false }
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  let truncated = false
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      await reader.cancel().catch(() => {})
      if (!truncate)
        throw new CollectorError('too_large', `body of ${url} exceeds the ${maxBytes}-byte cap`)
      chunks.push(value.subarray(0, value.byteLength - (total - maxBytes)))
      truncated = true
      break
    }
    chunks.push(value)
  }
  return { body: decodeBody(Buffer.concat(chunks), res.headers.get('content-type')), truncated }
}

export function createHttpClient(opts: HttpClientOptions = {}): HttpClient {
  const doFetch = opts.fetch ?? fetch
  const now = opts.now ?? (() => new Date())

  // With an SSRF guard, redirects are followed by hand so each hop is checked BEFORE it is
  // requested (fetch's own following would already have hit a private target).
  async function fetchFollowing(url: string, init: RequestInit): Promise<Response> {
    // Not followed at all: nothing but `url` (checked by the caller) is requested.
    if (init.redirect === 'manual') return doFetch(url, init)
    if (!opts.checkUrl) return doFetch(url, { ...init, redirect: 'follow' })
    let current = url
    let method = init.method ?? 'GET'
    let body = init.body
    for (let hop = 0; ; hop++) {
      const res = await doFetch(current, { ...init, method, body, redirect: 'manual' })
      const location = res.headers.get('location')
      if (res.status < 300 || res.status > 399 || res.status === 304 || !location) return res
      await res.body?.cancel().catch(() => {})
      if (hop >= 5) throw new Error(`too many redirects from ${host(url)}`)
      current = new URL(location, current).toString()
      await opts.checkUrl(current)
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) {
        method = 'GET'
        body = undefined
      }
    }
  }

  async function request(req: HttpRequest): Promise<HttpResponse> {
    const timeoutMs = req.timeoutMs ?? opts.timeoutMs ?? DEFAULT_TIMEOUT_MS
    const maxBytes = req.maxBytes ?? opts.maxBytes ?? DEFAULT_MAX_BYTES
    const headers: Record<string, string> = {
      'user-agent': opts.userAgent ?? DEFAULT_USER_AGENT,
      accept: '*/*',
      ...req.headers,
    }
    if (req.etag) headers['if-none-match'] = req.etag
    if (req.lastModified) headers['if-modified-since'] = req.lastModified
    const hasCredentials = Object.keys(headers).some((h) => /^(authorization|x-api-key)$/i.test(h))
    if (opts.checkUrl) await opts.checkUrl(req.url)

    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), timeoutMs)
    let res: Response
    try {
      res = await fetchFollowing(req.url, {
        method: req.method ?? 'GET',
        headers,
        body: req.body,
        signal: controller.signal,
        ...(req.followRedirects === false && { redirect: 'manual' as const }),
      })
    } catch (err) {
      clearTimeout(timer)
      if (err instanceof CollectorError) throw err // a redirect refused by the SSRF guard
      // an address refused when the socket connected (guardedFetch)
      const refused = (err as { cause?: unknown }).cause
      if (refused instanceof CollectorError) throw refused
      if (controller.signal.aborted)
        throw new CollectorError(
          'timeout',
          `no answer from ${host(req.url)} within ${timeoutMs} ms`,
        )
      const cause = (err as { cause?: { code?: string; message?: string } }).cause
      const detail = cause?.code ?? cause?.message ?? (err as Error).message
      throw new CollectorError('unreachable', `cannot reach ${host(req.url)} (${detail})`)
    }
    try {
      // (each redirect hop was already checked by fetchFollowing before it was requested)
      const base = {
        status: res.status,
        url: res.url || req.url,
        headers: res.headers,
        etag: res.headers.get('etag') ?? undefined,
        lastModified: res.headers.get('last-modified') ?? undefined,
      }
      if (res.status === 304) {
        await res.body?.cancel().catch(() => {})
        return {
          ...base,
          body: '',
          notModified: true,
          etag: base.etag ?? req.etag,
          lastModified: base.lastModified ?? req.lastModified,
        }
      }
      if (req.followRedirects === false && res.status >= 300 && res.status < 400) {
        // the caller only wants to know where it was sent (Location is in the headers)
        await res.body?.cancel().catch(() => {})
        return { ...base, body: '', notModified: false }
      }
      if (res.status >= 400 && !req.acceptStatus?.includes(res.status)) {
        const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), now())
        await res.body?.cancel().catch(() => {})
        throw classifyStatus(res.status, req.url, hasCredentials, retryAfterMs)
      }
      const { body, truncated } = await readCapped(res, maxBytes, req.url, req.truncateBody)
      return { ...base, body, notModified: false, ...(truncated && { truncated }) }
    } catch (err) {
      if (controller.signal.aborted && !(err instanceof CollectorError))
        throw new CollectorError(
          'timeout',
          `${host(req.url)} stopped answering within ${timeoutMs} ms`,
        )
      throw err
    } finally {
      clearTimeout(timer)
    }
  }

  async function json<T>(req: HttpRequest) {
    const response = await request({
      ...req,
      headers: { accept: 'application/json', ...req.headers },
    })
    if (response.notModified) return { data: undefined as T, response }
    try {
      return { data: JSON.parse(response.body) as T, response }
    } catch {
      throw new CollectorError('malformed', `${host(req.url)} did not return valid JSON`)
    }
  }

  return { request, json }
}
