// Calendar math for digests, in the recipient's time zone: local days as UTC windows (23 or 25
// hours long on DST changes), the comparison windows, and which digest slot is due at a given
// instant. Pure: every function takes the instant it reasons about.

export type DigestKind = 'daily' | 'weekly'

export interface Window {
  /** Local date of the first day, YYYY-MM-DD. */
  date: string
  /** UTC instants, [from, to). */
  from: string
  to: string
}

export interface DigestWindows {
  kind: DigestKind
  timezone: string
  current: Window
  /** The day (or seven days) before. */
  previous: Window
  /** Daily only: the same weekday one week earlier. */
  lastWeek?: Window
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/
/** A wall-clock time HH:MM (send times, quiet hours). */
export const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/
const TIME_RE = HHMM

export function isDate(s: string): boolean {
  const m = DATE_RE.exec(s)
  if (!m) return false
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]))
  return d.toISOString().slice(0, 10) === s
}

export function isTime(s: string): boolean {
  return TIME_RE.test(s)
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz })
    return true
  } catch {
    return false
  }
}

const partsCache = new Map<string, Intl.DateTimeFormat>()
function partsFormat(tz: string): Intl.DateTimeFormat {
  let f = partsCache.get(tz)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    partsCache.set(tz, f)
  }
  return f
}

/** Wall-clock fields of an instant in a time zone. */
export function localParts(instant: Date, tz: string) {
  const p: Record<string, number> = {}
  for (const { type, value } of partsFormat(tz).formatToParts(instant))
    if (type !== 'literal') p[type] = Number(value)
  return { y: p.year, m: p.month, d: p.day, h: p.hour, mi: p.minute, s: p.second }
}

export function localDate(instant: Date, tz: string): string {
  const { y, m, d } = localParts(instant, tz)
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

/** Offset of the zone at an instant, in ms (local − UTC). */
function offsetAt(instant: number, tz: string): number {
  const { y, m, d, h, mi, s } = localParts(new Date(instant), tz)
  return Date.UTC(y, m - 1, d, h, mi, s) - Math.floor(instant / 1000) * 1000
}

/**
 * The UTC instant of a local wall-clock time. A time skipped by a spring-forward change maps to
 * the same number of minutes after the change (02:30 → 03:30); a repeated one to its first
 * occurrence.
 */
export function zonedToUtc(date: string, time: string, tz: string): Date {
  const [y, m, d] = date.split('-').map(Number)
  const [h, mi] = time.split(':').map(Number)
  const wall = Date.UTC(y, m - 1, d, h, mi)
  // A candidate is right when the zone's offset at it is the one used to compute it. Both are
  // right in a repeated hour (take the first); neither in a skipped one (keep the offset before
  // the change, which lands the same minutes after it).
  const o1 = offsetAt(wall - 86400_000 / 2, tz)
  const o2 = offsetAt(wall - o1, tz)
  const candidates = [...new Set([o1, o2])]
    .map((o) => wall - o)
    .filter((c) => offsetAt(c, tz) === wall - c)
  const t = candidates.length ? Math.min(...candidates) : wall - o1
  return new Date(t)
}

export function addDays(date: string, n: number): string {
  const [y, m, d] = date.split('-').map(Number)
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10)
}

/** ISO weekday: Monday 1 … Sunday 7. */
export function weekday(date: string): number {
  const [y, m, d] = date.split('-').map(Number)
  return ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1
}

export function mondayOf(date: string): string {
  return addDays(date, 1 - weekday(date))
}

/** The instant a calendar day begins in `tz` (`days` later: 1 for the instant it ends). */
export function dayStart(date: string, tz: string, days = 0): Date {
  return zonedToUtc(addDays(date, days), '00:00', tz)
}

function window(date: string, days: number, tz: string): Window {
  return {
    date,
    from: dayStart(date, tz).toISOString(),
    to: dayStart(date, tz, days).toISOString(),
  }
}

/** The reported period and its comparisons. A weekly `date` is moved to its Monday. */
export function digestWindows(kind: DigestKind, date: string, tz: string): DigestWindows {
  if (kind === 'weekly') {
    const mon = mondayOf(date)
    return {
      kind,
      timezone: tz,
      current: window(mon, 7, tz),
      previous: window(addDays(mon, -7), 7, tz),
    }
  }
  return {
    kind,
    timezone: tz,
    current: window(date, 1, tz),
    previous: window(addDays(date, -1), 1, tz),
    lastWeek: window(addDays(date, -7), 1, tz),
  }
}

export function periodKey(kind: DigestKind, date: string): string {
  return kind === 'weekly' ? `week:${mondayOf(date)}` : `day:${date}`
}

export interface Schedule {
  sendTime: string
  timezone: string
  weekly: boolean
  /** Slots before the recipient existed are never owed. */
  createdAt: string
}

export interface Slot {
  kind: DigestKind
  /** The reported day (daily) or the Monday of the reported week (weekly). */
  date: string
  period: string
  dueAt: Date
}

/** How late a missed digest may still go out (Vigie was down at the send time). */
export const CATCH_UP_MS = 24 * 3600_000

/**
 * The latest slot whose send time has passed, if it is not older than a day and not older than
 * the recipient: yesterday's digest at today's send time; the previous week's on Mondays.
 */
export function dueSlot(s: Schedule, now: Date): Slot | null {
  const today = localDate(now, s.timezone)
  const kind: DigestKind = s.weekly ? 'weekly' : 'daily'
  for (const back of kind === 'weekly' ? [0, 1, 2, 3, 4, 5, 6, 7] : [0, 1]) {
    const sendDay = addDays(today, -back)
    if (kind === 'weekly' && weekday(sendDay) !== 1) continue
    const dueAt = zonedToUtc(sendDay, s.sendTime, s.timezone)
    if (dueAt.getTime() > now.getTime()) continue
    if (now.getTime() - dueAt.getTime() > CATCH_UP_MS) return null
    if (dueAt.getTime() < new Date(s.createdAt).getTime()) return null
    const date = addDays(sendDay, kind === 'weekly' ? -7 : -1)
    return { kind, date, period: periodKey(kind, date), dueAt }
  }
  return null
}
