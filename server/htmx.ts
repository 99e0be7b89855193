// Every HX-* header name in one place, and the page-or-fragment decision shared by all routes.
import type { Context } from 'hono'

export const HX = {
  request: 'HX-Request',
  requestType: 'HX-Request-Type',
  historyRestore: 'HX-History-Restore-Request',
  redirect: 'HX-Redirect',
  refresh: 'HX-Refresh',
  trigger: 'HX-Trigger',
  pushUrl: 'HX-Push-Url',
  retarget: 'HX-Retarget',
  reswap: 'HX-Reswap',
} as const

/** An htmx request that targets part of the page (not a boosted or history navigation). */
export function isPartial(c: Context): boolean {
  return (
    c.req.header(HX.request) === 'true' &&
    c.req.header(HX.requestType) !== 'full' &&
    c.req.header(HX.historyRestore) !== 'true'
  )
}

/** Responses that differ for htmx must say so to caches. */
export function varyOnHtmx(c: Context): void {
  c.header('Vary', 'HX-Request, HX-Request-Type', { append: true })
}

/** After a successful form post: a 303 for browsers, HX-Redirect for htmx. */
export function redirectAfterPost(c: Context, to: string): Response {
  if (c.req.header(HX.request) === 'true') {
    c.header(HX.redirect, to)
    return c.body(null, 200)
  }
  return c.redirect(to, 303)
}
