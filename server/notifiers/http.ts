// The one way notifiers talk HTTP: JSON in, status classified out. Uses the app's HTTP client
// (timeout, read cap, swappable fetch) and turns every failure into a NotifierError that says
// whether a retry can help: 429 and 5xx and network errors are transient (Retry-After honoured),
// other 4xx are permanent (except 408 and 409, handled by the callers that expect them), and so is
// a redirect: it is never followed (see redirectError).
import { CollectorError, parseRetryAfter, type HttpResponse } from '../../collectors/http'
import { NotifierError, type NotifyContext } from './types'
import { say } from '../field-errors'

const ALL_ERRORS = Array.from({ length: 200 }, (_, i) => 400 + i)

/** Keeps response bodies short in error messages (they are shown to users). */
export function cut(s: string, max = 200): string {
  const one = s.replace(/\s+/g, ' ').trim()
  return one.length > max ? `${one.slice(0, max)}…` : one
}

/** Host only: webhook URLs carry secrets in their path and query. */
export function safeHost(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return 'an invalid URL'
  }
}

export async function sendJson(
  ctx: NotifyContext,
  prefix: string,
  req: { url: string; body: unknown; method?: 'POST' | 'PATCH'; headers?: Record<string, string> },
  opts: { okStatus?: number[] } = {},
): Promise<HttpResponse> {
  let res: HttpResponse
  const body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body)
  try {
    res = await ctx.http.request({
      url: req.url,
      method: req.method ?? 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...req.headers },
      body,
      timeoutMs: 15_000,
      // A 2xx is sent whatever follows it, so the answer is read only as far as it can matter: the
      // ref Discord (message id, after the echoed embed of at most 6,000 characters) and Google
      // Chat (message name) return, or an error's first words. Past that the answer is cut, never
      // a failure: failing it re-sent the same message for 48 h.
      maxBytes: 64 * 1024,
      truncateBody: true,
      acceptStatus: ALL_ERRORS,
      followRedirects: false,
    })
  } catch (err) {
    // The client's messages may quote the URL, whose path and query are the webhook's secret.
    if (err instanceof CollectorError)
      throw new NotifierError(`${prefix}: ${err.message.split(req.url).join(safeHost(req.url))}`, {
        permanent: false,
      })
    throw new NotifierError(`${prefix}: ${(err as Error).message}`)
  }
  if ((res.status >= 200 && res.status < 300) || opts.okStatus?.includes(res.status)) return res
  const where = safeHost(req.url)
  if (res.status >= 300 && res.status < 400) throw redirectError(prefix, req.url, res)
  const detail = cut(res.body) || '(empty body)'
  if (res.status === 429)
    throw new NotifierError(`${prefix}: HTTP 429 from ${where}, rate limited: ${detail}`, {
      status: 429,
      retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), ctx.now()),
    })
  if (res.status >= 500 || res.status === 408)
    throw new NotifierError(`${prefix}: HTTP ${res.status} from ${where}: ${detail}`, {
      status: res.status,
    })
  const hint =
    res.status === 404 || res.status === 410
      ? ' (the webhook was deleted or revoked: create a new one and update the channel)'
      : res.status === 401 || res.status === 403
        ? ' (the webhook refuses this request: check its URL and permissions)'
        : ''
  throw new NotifierError(`${prefix}: HTTP ${res.status} from ${where}${hint}: ${detail}`, {
    status: res.status,
    permanent: true,
  })
}

/**
 * A webhook that answers 3xx did not take the message. Following it is no fix: fetch turns a POST
 * into a GET on 301/302/303, the receiver gets nothing and the GET's 200 read as sent; and not
 * following keeps the SSRF guard simple, since only the address it checked is ever requested. It
 * is permanent whatever the code: 301/308 say so, and a 302/303/307 from a webhook is a moved
 * endpoint, a login page or a proxy, which answers the same to every retry for 48 h while the
 * channel looks fine. The person fixes it by putting in the final address, so the message says
 * where it points (scheme and host only: the path of a webhook address is its secret).
 */
function redirectError(prefix: string, url: string, res: HttpResponse): NotifierError {
  const location = res.headers.get('location')
  let to: string | undefined
  if (location)
    try {
      const u = new URL(location, url)
      to = `${u.protocol}//${u.host}/${u.pathname === '/' && !u.search ? '' : '…'}`
    } catch {
      to = 'an invalid address'
    }
  const what = to ? `${res.status} (redirect to ${to})` : `${res.status} without taking the message`
  return new NotifierError(`${prefix}: the webhook answered ${what}; use the final address`, {
    status: res.status,
    permanent: true,
  })
}

/** zod refinement for webhook URLs: http(s) only. */
/** The settings error of a webhook address that is not http(s). */
export const HOOK_URL = say('must be an http(s) webhook URL', 'une adresse de webhook en http(s)')

export function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s)
    return u.protocol === 'https:' || u.protocol === 'http:'
  } catch {
    return false
  }
}
