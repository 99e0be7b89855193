// When a source is polled next: its interval with ±10 % jitter, a rate limit's own wait (a day at
// most), and back-off after failures (doubling up to a day). Pure functions with a pinned clock.
import { describe, expect, it } from 'vitest'
import { backoffMs, nextCheckAfterSuccess, parseInterval } from '../../server/schedule-math'

const now = new Date('2026-11-23T06:00:00Z')
const H = 3600_000

describe('nextCheckAfterSuccess', () => {
  it.each([
    // interval (s), the source's wait (ms), rand, hours later
    [900, 0, 0.5, 0.25],
    [900, 0, 1, 0.275], // +10 % jitter
    [900, 0, 0, 0.225], // −10 %
    [900, 2 * H, 0.5, 2], // a rate limit resetting in two hours
    [900, 30 * 24 * H, 0.5, 24], // a reset claimed a month away: a day at most
    [2 * 86400, 30 * 24 * H, 0.5, 48], // never sooner than the interval
  ])('every %i s, wait %i ms, rand %d → %d h', (interval, wait, r, hours) => {
    const at = nextCheckAfterSuccess(now, interval, wait, () => r)
    expect((at.getTime() - now.getTime()) / H).toBeCloseTo(hours, 6)
  })
})

describe('backoffMs', () => {
  it.each([
    [900, 1, 0.25],
    [900, 2, 0.5],
    [900, 5, 4],
    [900, 12, 24],
    [900, 40, 24],
  ])('every %i s, %i failures in a row → %d h', (interval, n, hours) =>
    expect(backoffMs(interval, n) / H).toBe(hours),
  )
})

describe('parseInterval', () => {
  it.each([
    ['15m', 900],
    ['1h', 3600],
    ['1d', 86400],
    ['1j', 86400], // as French users write a day
    [' 2 J ', 172800],
    ['120', 120],
  ])('%j → %i s', (raw, sec) => expect(parseInterval(raw)).toBe(sec))

  it.each(['30s', '8d', '1w', 'souvent'])('refuses %j', (raw) =>
    expect(() => parseInterval(raw)).toThrow(),
  )
})
