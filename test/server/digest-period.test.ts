// Calendar math of the digest: local days as UTC windows across DST changes, and which slot is
// due at a given instant (catch-up no older than a day, nothing owed before the recipient existed).
import { describe, expect, it } from 'vitest'
import {
  addDays,
  digestWindows,
  dueSlot,
  localDate,
  localParts,
  zonedToUtc,
} from '../../server/digest-period'

describe('digestWindows', () => {
  it.each([
    // [tz, day, from, to, hours]
    ['Europe/Paris', '2026-03-28', '2026-03-27T23:00:00.000Z', '2026-03-28T23:00:00.000Z', 24],
    ['Europe/Paris', '2026-03-29', '2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z', 23],
    ['Europe/Paris', '2026-03-30', '2026-03-29T22:00:00.000Z', '2026-03-30T22:00:00.000Z', 24],
    ['Europe/Paris', '2026-10-25', '2026-10-24T22:00:00.000Z', '2026-10-25T23:00:00.000Z', 25],
    ['Europe/Paris', '2026-10-26', '2026-10-25T23:00:00.000Z', '2026-10-26T23:00:00.000Z', 24],
    ['America/Toronto', '2026-03-08', '2026-03-08T05:00:00.000Z', '2026-03-09T04:00:00.000Z', 23],
    ['America/Toronto', '2026-11-01', '2026-11-01T04:00:00.000Z', '2026-11-02T05:00:00.000Z', 25],
    ['UTC', '2026-01-01', '2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z', 24],
  ])('%s %s is [%s, %s) — %i hours', (tz, day, from, to, hours) => {
    const w = digestWindows('daily', day, tz)
    expect(w.current).toEqual({ date: day, from, to })
    expect((Date.parse(to) - Date.parse(from)) / 3600_000).toBe(hours)
  })

  it('compares a day with the day before and the same weekday a week earlier', () => {
    const w = digestWindows('daily', '2026-03-29', 'Europe/Paris')
    expect(w.previous).toEqual({
      date: '2026-03-28',
      from: '2026-03-27T23:00:00.000Z',
      to: '2026-03-28T23:00:00.000Z',
    })
    expect(w.lastWeek).toEqual({
      date: '2026-03-22',
      from: '2026-03-21T23:00:00.000Z',
      to: '2026-03-22T23:00:00.000Z',
    })
    // The windows tile: the previous day ends where the reported one starts.
    expect(w.previous.to).toBe(w.current.from)
  })

  it('weekly: the Monday-to-Monday week containing the date, against the seven days before', () => {
    const w = digestWindows('weekly', '2026-10-28', 'Europe/Paris') // a Wednesday
    expect(w.current).toEqual({
      date: '2026-10-26',
      from: '2026-10-25T23:00:00.000Z',
      to: '2026-11-01T23:00:00.000Z',
    })
    // The week before holds the 25-hour day: 7 × 24 + 1 hours.
    expect(w.previous.date).toBe('2026-10-19')
    expect((Date.parse(w.previous.to) - Date.parse(w.previous.from)) / 3600_000).toBe(169)
    expect(w.previous.to).toBe(w.current.from)
    expect(w.lastWeek).toBeUndefined()
  })
})

describe('zonedToUtc', () => {
  it.each([
    ['2026-03-29', '08:00', 'Europe/Paris', '2026-03-29T06:00:00.000Z'],
    ['2026-03-28', '08:00', 'Europe/Paris', '2026-03-28T07:00:00.000Z'],
    // Skipped by spring-forward: the same minutes after the change.
    ['2026-03-29', '02:30', 'Europe/Paris', '2026-03-29T01:30:00.000Z'],
    // Repeated by fall-back: the first occurrence (still summer time).
    ['2026-10-25', '02:30', 'Europe/Paris', '2026-10-25T00:30:00.000Z'],
    ['2026-10-25', '08:00', 'Europe/Paris', '2026-10-25T07:00:00.000Z'],
    ['2026-03-08', '08:00', 'America/Toronto', '2026-03-08T12:00:00.000Z'],
    ['2026-06-01', '07:15', 'Europe/Zurich', '2026-06-01T05:15:00.000Z'],
    ['2026-11-01', '01:30', 'America/Toronto', '2026-11-01T05:30:00.000Z'],
  ])('%s %s in %s is %s', (date, time, tz, iso) => {
    expect(zonedToUtc(date, time, tz).toISOString()).toBe(iso)
  })

  it.each(['Europe/Paris', 'America/Toronto', 'Australia/Sydney'])(
    'round-trips every hour of 2026 in %s (except the skipped one)',
    (tz) => {
      let skipped = 0
      for (let d = 0; d < 365; d++) {
        const date = addDays('2026-01-01', d)
        for (let h = 0; h < 24; h++) {
          const time = `${String(h).padStart(2, '0')}:00`
          const back = localParts(zonedToUtc(date, time, tz), tz)
          if (back.h !== h) skipped++
          else expect(localDate(zonedToUtc(date, time, tz), tz)).toBe(date)
        }
      }
      expect(skipped).toBe(1)
    },
  )
})

describe('dueSlot', () => {
  const paris = {
    sendTime: '08:00',
    timezone: 'Europe/Paris',
    weekly: false,
    createdAt: '2026-01-01T00:00:00Z',
  }
  it.each([
    // [now, expected period or null, why]
    [
      '2026-03-30T05:59:00Z',
      'day:2026-03-28',
      'before 08:00 local: the previous slot (still < 24 h old)',
    ],
    ['2026-03-30T06:00:00Z', 'day:2026-03-29', '08:00 CEST on the day after the 23-hour day'],
    ['2026-03-29T05:59:00Z', 'day:2026-03-27', '07:59 local on the DST day: yesterday’s slot'],
    ['2026-03-29T06:00:00Z', 'day:2026-03-28', '08:00 CEST on the DST day itself'],
    ['2026-10-26T07:00:00Z', 'day:2026-10-25', '08:00 CET after the 25-hour day'],
    ['2026-03-30T23:00:00Z', 'day:2026-03-29', 'late evening: still today’s slot'],
  ])('at %s → %s (%s)', (now, period) => {
    expect(dueSlot(paris, new Date(now))?.period ?? null).toBe(period)
  })

  it('due at exactly the local send time, in UTC', () => {
    expect(dueSlot(paris, new Date('2026-03-30T06:00:00Z'))?.dueAt.toISOString()).toBe(
      '2026-03-30T06:00:00.000Z',
    )
  })

  it('owes nothing from before the recipient existed', () => {
    const fresh = { ...paris, createdAt: '2026-03-30T07:00:00Z' } // created at 09:00 local
    expect(dueSlot(fresh, new Date('2026-03-30T07:30:00Z'))).toBeNull()
    expect(dueSlot(fresh, new Date('2026-03-31T06:00:00Z'))?.period).toBe('day:2026-03-30')
  })

  it('weekly: Mondays at the send time for the previous week; catch-up for a day only', () => {
    const w = { ...paris, weekly: true }
    expect(dueSlot(w, new Date('2026-03-30T06:00:00Z'))?.period).toBe('week:2026-03-23')
    expect(dueSlot(w, new Date('2026-03-31T05:59:00Z'))?.period).toBe('week:2026-03-23')
    expect(dueSlot(w, new Date('2026-03-31T06:01:00Z'))).toBeNull() // > a day late: skipped
    expect(dueSlot(w, new Date('2026-03-30T05:59:00Z'))).toBeNull() // last Monday's is a week old
  })
})
