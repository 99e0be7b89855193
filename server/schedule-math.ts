// When a source is next polled: its interval with jitter after a success; exponential backoff
// after failures (capped at a day, never dropped); Retry-After as a floor. Pure; `rand` injectable.

const DAY = 24 * 60 * 60 * 1000

export function nextCheckAfterSuccess(
  now: Date,
  intervalSec: number,
  retryAfterMs = 0,
  rand = Math.random,
): Date {
  const base = intervalSec * 1000
  const jitter = base * 0.1 * (rand() * 2 - 1)
  // A source's own wait (a rate-limit reset) is believed for a day at most, as Retry-After is
  // (collectors/http.ts): a wrong or hostile header must not park a source for years.
  return new Date(now.getTime() + Math.max(base + jitter, Math.min(retryAfterMs, DAY)))
}

export function backoffMs(intervalSec: number, consecutiveErrors: number): number {
  // 1st failure: retry after the interval (a blip); then double each time, up to one day.
  const exp = Math.min(consecutiveErrors - 1, 16)
  return Math.min(intervalSec * 1000 * 2 ** Math.max(0, exp), DAY)
}

export function nextCheckAfterFailure(
  now: Date,
  intervalSec: number,
  consecutiveErrors: number,
  retryAfterMs = 0,
  rand = Math.random,
): Date {
  const base = backoffMs(intervalSec, consecutiveErrors)
  const jitter = base * 0.1 * (rand() * 2 - 1)
  return new Date(now.getTime() + Math.max(base + jitter, Math.min(retryAfterMs, DAY)))
}

// j (jour) as French users write it
const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, j: 86400 }

/** Parses "90s", "15m", "1h", "1d" (or "1j") or a number of seconds. */
export function parseInterval(raw: string | number): number {
  if (typeof raw === 'number') {
    if (!Number.isInteger(raw) || raw < 60)
      throw new Error(`interval ${raw} must be at least 60 seconds`)
    return raw
  }
  const m = /^\s*(\d+)\s*([smhdj])?\s*$/i.exec(raw)
  if (!m) throw new Error(`interval "${raw}" must look like 90s, 15m, 1h or 1d`)
  const sec = Number(m[1]) * UNITS[(m[2] ?? 's').toLowerCase()]
  if (sec < 60) throw new Error(`interval "${raw}" is shorter than a minute`)
  if (sec > 7 * 86400) throw new Error(`interval "${raw}" is longer than a week`)
  return sec
}

/** As parseInterval reads it back; in French, days are written "j" as the form's hint says. */
export function formatInterval(sec: number, locale: 'fr' | 'en' = 'en'): string {
  if (sec % 86400 === 0) return `${sec / 86400}${locale === 'fr' ? 'j' : 'd'}`
  if (sec % 3600 === 0) return `${sec / 3600}h`
  if (sec % 60 === 0) return `${sec / 60}m`
  return `${sec}s`
}
