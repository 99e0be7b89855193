// What every view needs from the request: translations, formatting, the clock and the path.
import { allows, requirementFor } from '../server/auth/policy'
import type { SessionUser } from '../server/context'
import type { Fmt, Locale, T } from './i18n'

export interface ViewCtx {
  t: T
  locale: Locale
  fmt: Fmt
  /** the IANA zone dates are shown in, said once at the foot of each page: Vigie's (TZ), or the
   * one this browser chose (POST /tz) */
  tz: string
  /** Vigie's own zone (TZ), when the page is shown in another one */
  vigieTz?: string
  now: Date
  path: string
  /** path and query of the page (GET), to come back to after a form elsewhere */
  here: string
  /** The signed-in person (set by the access layer); absent on public pages. */
  user?: SessionUser | null
  /** Open and acknowledged alerts, loaded per page for the banner (server/routes/alerts.tsx). */
  openAlerts?: BannerAlert[]
}

/**
 * Whether the signed-in person may send this request (the route policy, server/auth/policy.ts):
 * views show a control only to those it would not refuse.
 */
export function may(v: ViewCtx, method: 'GET' | 'POST', path: string): boolean {
  return allows(requirementFor(method, path).need, v.user?.role ?? null)
}

export interface BannerAlert {
  id: number
  brand_name: string
  kind: string
  status: string
  started_at: string
}
