// What every view needs from the request: translations, formatting, the clock and the path.
import type { SessionUser } from '../server/context'
import type { Fmt, Locale, T } from './i18n'

export interface ViewCtx {
  t: T
  locale: Locale
  fmt: Fmt
  now: Date
  path: string
  /** The signed-in person (set by the access layer); absent on public pages. */
  user?: SessionUser | null
}
