// What every view needs from the request: translations, formatting, the clock and the path.
import type { Fmt, Locale, T } from './i18n'

export interface ViewCtx {
  t: T
  locale: Locale
  fmt: Fmt
  now: Date
  path: string
  /** Open and acknowledged alerts, loaded per page for the banner (server/routes/alerts.tsx). */
  openAlerts?: BannerAlert[]
}

export interface BannerAlert {
  id: number
  brand_name: string
  kind: string
  status: string
  started_at: string
}
