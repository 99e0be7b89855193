// The spike detector's parts on their own, table-driven: the declustered threshold calibration,
// incident escalation during a cool-down, the recent-level correction of short windows, and the
// pooled hour-of-day shape of a quiet brand.

import { describe, expect, it } from 'vitest'
import { SeasonalBaseline } from '../../server/spikes/baseline'
import { ScoreCalibrator } from '../../server/spikes/calibration'
import { CountTest } from '../../server/spikes/count-test'
import { IncidentTracker, type ScoredBucket } from '../../server/spikes/incidents'
import { PRESETS } from '../../server/spikes/presets'
import { mulberry32 } from '../../server/random'
import { poisson } from '../helpers/series'

const HALF_LIFE = 14 * 288
const DAY = 288

describe('ScoreCalibrator (peaks over threshold, declustered)', () => {
  /** feeds `days` of buckets: an excursion of `len` buckets peaking at `peak` every `every` buckets */
  function calibrate(days: number, every: number, len: number, peak: (k: number) => number) {
    const c = new ScoreCalibrator(HALF_LIFE, 1e-4, 2 * DAY, 12)
    let k = 0
    for (let i = 0; i < days * DAY; i++) {
      const inRun = i % every < len
      if (i % every === 0) k++
      c.add(inRun ? peak(k) : 0)
      if (i % 12 === 0) c.refit()
    }
    c.refit()
    return c.thresholds(3.5, 2)
  }
  const heavy = (k: number) => 2 + ((k * 7919) % 100) / 10 // peaks spread over 2…12

  const cases = [
    { name: 'no excursions: the absolute threshold', every: 1e9, len: 0, expect: [3.5, 3.5] },
    {
      name: 'few excursions (under 8): no fit, absolute threshold',
      days: 10,
      every: 2 * DAY,
      len: 3,
      expect: [3.5, 3.5],
    },
    { name: 'frequent heavy-tailed excursions raise it', every: 96, len: 3, expect: [8, 40] },
  ]
  for (const c of cases)
    it(c.name, () => {
      const th = calibrate(c.days ?? 21, c.every, c.len, heavy)
      expect(th.start).toBeGreaterThanOrEqual(c.expect[0])
      expect(th.start).toBeLessThanOrEqual(c.expect[1])
      expect(th.end).toBe(2)
    })

  it('counts a long excursion once: 4-hour runs do not raise it more than 15-minute ones', () => {
    const short = calibrate(21, 96, 3, heavy).start
    const long = calibrate(21, 96, 48, heavy).start
    expect(Math.abs(long - short)).toBeLessThan(0.5)
  })

  it('is not ready before minSteps buckets', () => {
    const c = new ScoreCalibrator(HALF_LIFE, 1e-4, 2 * DAY, 12)
    for (let i = 0; i < DAY; i++) c.add(i % 50 === 0 ? 9 : 0)
    c.refit()
    expect(c.ready).toBe(false)
    expect(c.thresholds(3.5, 2)).toEqual({ start: 3.5, end: 2 })
  })
})

describe('IncidentTracker escalation during a cool-down', () => {
  const bucket = (score: number): ScoredBucket => ({
    scores: [score],
    score,
    value: 10,
    baseline: 1,
    windowMinutes: 10,
  })
  const HOUR = 3_600_000
  // first incident peaks at `first`, ends; 6 h later (inside a 24 h cool-down) a second one
  // reaches `second`; thresholds: start 3.5, end 2; escalation at 1.5x the last peak (balanced)
  const run = (first: number, second: number) => {
    const tr = new IncidentTracker(2, 24 * HOUR, 1.5)
    const kinds: string[] = []
    const push = (i: number, s: number) => {
      for (const e of tr.step(i, i * HOUR, bucket(s), s / 3.5, s / 2)) kinds.push(e.kind)
    }
    push(0, first)
    push(1, 0)
    push(2, 0)
    push(8, second)
    return kinds
  }
  const cases = [
    { name: 'a weaker repeat stays grouped', first: 5, second: 4, starts: 1 },
    { name: 'a repeat under 1.5x the first peak stays grouped', first: 5, second: 7.4, starts: 1 },
    {
      name: '1.5x as strong as a marginal first alert: new incident',
      first: 4,
      second: 6,
      starts: 2,
    },
    { name: 'far above the threshold (3x): new incident', first: 20, second: 11, starts: 2 },
  ]
  for (const c of cases)
    it(c.name, () => {
      expect(run(c.first, c.second).filter((k) => k === 'start')).toHaveLength(c.starts)
    })
})

describe('CountTest recent-level correction of short windows', () => {
  const tuning = PRESETS.balanced.tuning
  const STEP = 5 * 60_000
  const T0 = Date.UTC(2024, 0, 1)
  /** 10 days at `rate`/bucket, then 8 h at `before`× the rate, then 30 min at 3× */
  function scoreBurst(before: number) {
    const u = mulberry32(3)
    const pois = (lam: number) => poisson(u, lam)
    const t = new CountTest(tuning, 5, 3)
    const rate = 10
    let i = 0
    for (; i < 10 * DAY; i++) t.step(T0 + i * STEP, pois(rate), false)
    for (let k = 0; k < 96; k++, i++) t.step(T0 + i * STEP, Math.round(rate * before), false)
    let best = 0
    for (let k = 0; k < 6; k++, i++) best = t.step(T0 + i * STEP, 3 * rate, false).scores[2]
    return best // 30-minute window
  }
  it('a burst on a day already running hot scores lower', () => {
    expect(scoreBurst(2)).toBeLessThan(scoreBurst(1) / 2)
  })
  it('a quiet spell before does not make the same burst score higher', () => {
    expect(scoreBurst(0.5)).toBeLessThanOrEqual(scoreBurst(1) + 1e-9)
  })
})

describe('SeasonalBaseline pooled hour-of-day shape', () => {
  it('a quiet brand (1 mention/hour) learns its night trough within two weeks', () => {
    const u = mulberry32(5)
    const b = new SeasonalBaseline({ bucketMinutes: 5, ...PRESETS.balanced.tuning })
    const STEP = 5 * 60_000
    for (let i = 0; i < 14 * DAY; i++) {
      const h = (i % DAY) / 12
      const lam = (1 / 12) * (1 + 0.8 * Math.cos((2 * Math.PI * (h - 16)) / 24))
      const x = u() < lam ? 1 : 0 // lam < 1: Bernoulli is close enough to Poisson here
      b.predict(i * STEP)
      b.update(i * STEP, x)
    }
    const shape = b.snapshot().hourShape as number[]
    // true factors: 0.2 at 04:00, 1.8 at 16:00
    expect(shape[4]).toBeLessThan(0.6)
    expect(shape[16]).toBeGreaterThan(1.4)
  })
})

describe('CountTest baseline during an incident', () => {
  it("a small brand's incident does not inflate its baseline for the days after", () => {
    const STEP = 5 * 60_000
    const T0 = Date.UTC(2024, 0, 1)
    const run = (inIncident: boolean) => {
      const t = new CountTest(PRESETS.balanced.tuning, 5, 3)
      const r = mulberry32(11)
      let i = 0
      for (; i < 7 * DAY; i++) t.step(T0 + i * STEP, r() < 0.02 ? 1 : 0, false)
      // 20 mentions within an hour, flagged (or not) as an incident by the caller
      for (let k = 0; k < 12; k++, i++) t.step(T0 + i * STEP, k % 3 === 0 ? 5 : 0, inIncident)
      return (t.snapshot().baseline as { level: number }).level
    }
    expect(run(true)).toBeLessThan(run(false) / 2)
  })
})
