// Locale selection (cookie, then Accept-Language, French first) and formatting helpers.
import { isTimeZone, localDate } from '../../server/digest-period'
import { en } from './en'
import { fr, type Dict } from './fr'

export type Locale = 'fr' | 'en'
export const LOCALES: Locale[] = ['fr', 'en']

/**
 * French typography: the space before `; ? !` is a narrow no-break space and the one before `:`
 * or `»` (and after `«`) a no-break space, as the Imprimerie nationale's rules and Swiss usage
 * have it, so a line never starts with the punctuation. The catalogue is written with ordinary
 * spaces, which are easier to type and review; they are replaced once, here.
 */
export function frenchSpacing(s: string): string {
  return s
    .replace(/ ([;?!])/g, '\u202f$1')
    .replace(/ ([:»])/g, '\u00a0$1')
    .replace(/« /g, '«\u00a0')
}

/** A plugin's or a page's own two-language text, as the reader should see it. */
export function inLocale(text: { en: string; fr: string }, locale: Locale): string {
  return locale === 'fr' ? frenchSpacing(text.fr) : text.en
}

const frTyped = Object.fromEntries(
  Object.entries(fr).map(([k, v]) => [k, frenchSpacing(v)]),
) as unknown as Dict
const dicts: Record<Locale, Dict> = { fr: frTyped, en }

export type T = (key: keyof Dict, vars?: Record<string, string | number>) => string

const pluralRules: Record<Locale, Intl.PluralRules> = {
  fr: new Intl.PluralRules('fr-FR'),
  en: new Intl.PluralRules('en-GB'),
}

/**
 * Plurals: a key may have a `key#one` form, used when the `count` (or `n`) variable is singular
 * under the locale's plural rules (French says "0 alerte", English "0 alerts").
 */
export function translator(locale: Locale): T {
  const d = dicts[locale] as Record<string, string>
  const rules = pluralRules[locale]
  return (key, vars) => {
    const n = Number(vars?.count ?? vars?.n)
    const one = Number.isFinite(n) && rules.select(n) === 'one' ? d[`${key}#one`] : undefined
    let s = one ?? d[key] ?? frTyped[key] ?? key
    if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v))
    return s
  }
}

/** The cookie wins; else the first of the browser's languages we speak; else French. */
export function pickLocale(cookie: string | undefined, acceptLanguage: string | undefined): Locale {
  if (cookie === 'fr' || cookie === 'en') return cookie
  const prefs = (acceptLanguage ?? '')
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';')
      const q = params.find((p) => p.trim().startsWith('q='))
      return { tag: tag.toLowerCase(), q: q ? Number(q.trim().slice(2)) || 0 : 1 }
    })
    .filter((p) => p.tag)
    .sort((a, b) => b.q - a.q)
  for (const p of prefs) {
    const base = p.tag.split('-')[0]
    if (base === 'fr' || base === 'en') return base
  }
  return 'fr'
}

// Zones already found valid: checking one builds an Intl formatter, and this runs on every
// request of a browser that chose its zone. Valid zones are a few hundred names; a made-up
// cookie is checked each time and never stored, so the set cannot be grown at will.
const knownZones = new Set<string>()

/** The zone this browser chose (cookie) when it is a known IANA zone, else Vigie's. */
export function pickZone(cookie: string | undefined, fallback: string): string {
  if (!cookie) return fallback
  if (knownZones.has(cookie)) return cookie
  if (cookie.length > 64 || !isTimeZone(cookie)) return fallback
  knownZones.add(cookie)
  return cookie
}

export interface Fmt {
  dateTime(iso: string | null | undefined): string
  /** With the zone's offset ("UTC−5"): for text read away from the pages, whose footer names it. */
  dateTimeZoned(iso: string): string
  number(n: number): string
  relative(iso: string | null | undefined, now: Date): string
}

// Building Intl formatters costs more than rendering a page with them: one per locale and zone.
const formatters = new Map<string, Fmt>()

export function formatter(locale: Locale, timeZone: string): Fmt {
  const key = `${locale}|${timeZone}`
  let f = formatters.get(key)
  if (!f) formatters.set(key, (f = buildFormatter(locale, timeZone)))
  return f
}

function buildFormatter(locale: Locale, timeZone: string): Fmt {
  const tag = locale === 'fr' ? 'fr-FR' : 'en-GB'
  const dt = new Intl.DateTimeFormat(tag, { dateStyle: 'medium', timeStyle: 'short', timeZone })
  const zoned = new Intl.DateTimeFormat(tag, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
    timeZone,
  })
  const num = new Intl.NumberFormat(tag)
  const rel = new Intl.RelativeTimeFormat(tag, { numeric: 'auto' })
  return {
    dateTime: (iso) => (iso ? dt.format(new Date(iso)) : '—'),
    dateTimeZoned: (iso) => zoned.format(new Date(iso)),
    number: (n) => num.format(n),
    relative(iso, now) {
      if (!iso) return '—'
      const s = Math.round((new Date(iso).getTime() - now.getTime()) / 1000)
      const abs = Math.abs(s)
      if (abs < 60) return rel.format(s, 'second')
      if (abs < 3600) return rel.format(Math.round(s / 60), 'minute')
      // Days are counted on the calendar of the zone the page shows, not in blocks of 24 hours:
      // 'numeric: auto' says "hier" / "avant-hier", which name days, and at 06:00 on Monday the
      // Saturday 23:00 31 hours before is "avant-hier". A local day lasts 23 or 25 hours around
      // a DST change: 24 h 20 min earlier may still be the same day, said in hours then.
      const days =
        (Date.parse(localDate(new Date(iso), timeZone)) - Date.parse(localDate(now, timeZone))) /
        86400_000
      if (abs < 86400 || days === 0) return rel.format(Math.round(s / 3600), 'hour')
      return rel.format(days, 'day')
    },
  }
}
