// Behaviour of the spike detector on synthetic series built here with a seeded PRNG: small-brand
// bumps vs bursts, big-brand noise, burst and build-up shapes, cold start, incident grouping,
// the online property, preset ordering, the share (sentiment-dip) test, and CLI input errors.

import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { parseSeriesCsv } from '../../server/cli/spikes-csv'
import { mulberry32 } from '../../server/random'
import {
  createDetector,
  createShareDetector,
  detectSpikes,
  type DetectorOptions,
  type SpikeEvent,
} from '../../server/spikes'

const STEP = 5 * 60_000
const DAY = 288 // buckets per day
const T0 = Date.UTC(2024, 0, 1)

function rng(seed: number) {
  const u = mulberry32(seed)
  const poisson = (lam: number) => {
    if (lam > 50) return Math.max(0, Math.round(lam + Math.sqrt(lam) * normal()))
    const L = Math.exp(-lam)
    let k = 0
    let p = 1
    do {
      k++
      p *= u()
    } while (p > L)
    return k - 1
  }
  const normal = () => Math.sqrt(-2 * Math.log(u() + 1e-12)) * Math.cos(2 * Math.PI * u())
  return { u, poisson, normal }
}

/** Mentions per hour with a daily cycle, NB noise (gamma-mixed Poisson) and optional excess. */
function series(
  seed: number,
  days: number,
  perHour: number,
  excess: (i: number) => number = () => 0,
): { t: number; value: number }[] {
  const r = rng(seed)
  const out = []
  for (let i = 0; i < days * DAY; i++) {
    const h = (i % DAY) / 12
    const cycle = 1 + 0.5 * Math.cos((2 * Math.PI * (h - 16)) / 24)
    const wobble = Math.exp(0.15 * r.normal())
    const lam = (perHour / 12) * cycle * wobble + excess(i)
    out.push({ t: T0 + i * STEP, value: r.poisson(lam) })
  }
  return out
}

const starts = (ev: SpikeEvent[]) => ev.filter((e) => e.kind === 'start')
const at = (day: number, hour: number) => day * DAY + hour * 12

describe('count detector', () => {
  const onset = at(10, 15)
  const cases: {
    name: string
    perHour: number
    excess: (i: number) => number
    expectAlert: boolean
  }[] = [
    {
      name: 'small brand, 0 → 3 bump in an hour: no alert',
      perHour: 0.3,
      excess: (i) => (i >= onset && i < onset + 12 && i % 4 === 0 ? 1 : 0),
      expectAlert: false,
    },
    {
      name: 'small brand, real burst (~15 mentions in an hour): alert',
      perHour: 0.3,
      excess: (i) => (i >= onset && i < onset + 12 ? 1.3 : 0),
      expectAlert: true,
    },
    {
      name: 'big brand with noise only: no alert',
      perHour: 1000,
      excess: () => 0,
      expectAlert: false,
    },
    {
      name: 'big brand, sudden burst (x4 for 30 min): alert',
      perHour: 1000,
      excess: (i) => (i >= onset && i < onset + 6 ? 250 : 0),
      expectAlert: true,
    },
    {
      name: 'mid brand, 2-hour linear build-up to x4: alert',
      perHour: 40,
      excess: (i) => (i >= onset && i < onset + 30 ? Math.min(1, (i - onset + 1) / 24) * 12 : 0),
      expectAlert: true,
    },
  ]
  for (const c of cases) {
    it(c.name, () => {
      for (const seed of [1, 2, 3]) {
        const pts = series(seed, 14, c.perHour, c.excess)
        const ev = starts(detectSpikes(pts, { preset: 'balanced' }))
        const hits = ev.filter((e) => e.index >= onset && e.index < onset + 36)
        const other = ev.filter((e) => e.index < onset || e.index >= onset + 36)
        expect(other, `seed ${seed}: alerts away from the incident`).toEqual([])
        if (c.expectAlert) {
          expect(hits.length, `seed ${seed}`).toBe(1)
          expect(hits[0].value).toBeGreaterThan(hits[0].baseline)
        } else expect(hits, `seed ${seed}`).toEqual([])
      }
    })
  }

  // trimmed window counts: a rise has to hold for two buckets before any window counts it
  it('ignores a one-bucket blip at a big brand, alerts when the same jump holds two buckets', () => {
    for (const seed of [1, 2, 3]) {
      const blip = series(seed, 14, 1000, (i) => (i === onset ? 400 : 0))
      expect(starts(detectSpikes(blip)), `seed ${seed}: blip`).toEqual([])
      const held = series(seed, 14, 1000, (i) => (i === onset || i === onset + 1 ? 400 : 0))
      const ev = starts(detectSpikes(held))
      expect(ev, `seed ${seed}: two buckets`).toHaveLength(1)
      expect(ev[0].index).toBe(onset + 1) // decided on the second bucket, not later
      expect(ev[0].windowMinutes).toBe(10)
      // the alert tells every mention of its window, not the trimmed count that decided it
      const window = held.slice(onset, onset + 2).reduce((a, p) => a + p.value, 0)
      expect(ev[0].value).toBe(window)
    }
  })

  // the trim stops at two mentions in windows of 30 min and more: at a small brand the first
  // bucket of a burst is most of its evidence
  it('small brand: seven mentions in 35 minutes page within half an hour', () => {
    // one mention an hour, like clockwork, then 2, 1, 1, 0, 1, 0, 1 in consecutive buckets; the
    // alert counts the 2 whole (5 in the half hour, where trimming it to 1 gave 4: no alert)
    const burst = [2, 1, 1, 0, 1, 0, 1]
    const pts = Array.from({ length: 14 * DAY }, (_, i) => ({
      t: T0 + i * STEP,
      value: i >= onset && i < onset + burst.length ? burst[i - onset] : i % 12 === 5 ? 1 : 0,
    }))
    const ev = starts(detectSpikes(pts))
    expect(ev.map((e) => [e.index - onset, e.windowMinutes, e.value])).toEqual([[4, 30, 5]])
  })

  it('small brand: a handful of mentions in one bucket is not an incident', () => {
    for (const seed of [1, 2, 3]) {
      const pts = series(seed, 14, 1, (i) => (i === onset ? 6 : 0))
      expect(starts(detectSpikes(pts)), `seed ${seed}`).toEqual([])
    }
  })

  it('detects a burst within minutes and a build-up before its peak', () => {
    const burst = series(4, 12, 100, (i) => (i >= onset && i < onset + 12 ? 40 : 0))
    // (seed 4 also holds, a day later, two consecutive buckets at 22 against an expected 9 — a
    // 1e-8 coincidence of the test's generator that the two-bucket test rightly flags; only the
    // alerts around the burst are checked here, the no-alert cases above cover false alarms)
    const b = starts(detectSpikes(burst)).filter((e) => Math.abs(e.index - onset) < DAY / 2)
    expect(b).toHaveLength(1)
    expect(b[0].index - onset).toBeLessThanOrEqual(2) // within 15 minutes
    const ramp = series(5, 12, 100, (i) =>
      i >= onset && i < onset + 24 ? ((i - onset + 1) / 24) * 30 : 0,
    )
    const r = starts(detectSpikes(ramp))
    expect(r).toHaveLength(1)
    expect(r[0].index).toBeLessThan(onset + 24) // before the peak of the 2-hour ramp
  })

  it('cold start: no alert in the warm-up, a big burst on day 2 is caught', () => {
    const pts = series(6, 3, 20, (i) => (i >= at(1, 14) && i < at(1, 15) ? 20 : 0))
    const ev = starts(detectSpikes(pts))
    expect(ev.filter((e) => e.index < 144)).toEqual([]) // first 12 hours
    expect(ev.map((e) => e.index)).toEqual([expect.any(Number)])
    expect(ev[0].index).toBeGreaterThanOrEqual(at(1, 14))
    expect(ev[0].index).toBeLessThan(at(1, 15))
  })

  it('groups one long incident into one start, and respects the cool-down', () => {
    // a 5-hour elevated plateau with a second peak inside it: one start
    const long = series(7, 12, 60, (i) =>
      i >= onset && i < onset + 60 ? (i >= onset + 30 && i < onset + 36 ? 40 : 20) : 0,
    )
    const ev = detectSpikes(long)
    expect(starts(ev)).toHaveLength(1)
    expect(ev.some((e) => e.kind === 'end')).toBe(true)
    // two moderate bursts (x5 for 15 min) 6 hours apart (longer than the 4-hour window): one
    // incident with a 10-hour cool-down, two without one
    const twin = (amp: number) =>
      series(8, 12, 60, (i) =>
        (i >= onset && i < onset + 3) || (i >= onset + 72 && i < onset + 75) ? amp : 0,
      )
    const quietMinutes = 15
    const grouped = starts(
      detectSpikes(twin(20), { cooldownMinutes: 600, tuning: { quietMinutes } }),
    )
    const split = starts(detectSpikes(twin(20), { cooldownMinutes: 0, tuning: { quietMinutes } }))
    expect(grouped).toHaveLength(1)
    expect(split).toHaveLength(2)
    // a far stronger second burst (x13; p beyond the start threshold cubed) is raised even in the
    // cool-down: a small incident must not mask a big one
    const big = starts(detectSpikes(twin(60), { cooldownMinutes: 600, tuning: { quietMinutes } }))
    expect(big.map((e) => e.index - onset)).toEqual([1, 73])
  })

  it('is online: the result on a prefix is the prefix of the result', () => {
    const pts = series(9, 10, 30, (i) => (i % 700 === 400 ? 25 : 0))
    const full = detectSpikes(pts, { preset: 'more' })
    expect(full.length).toBeGreaterThan(0)
    for (const cut of [1000, 1901, 2500]) {
      const pre = detectSpikes(pts.slice(0, cut), { preset: 'more' })
      expect(pre).toEqual(full.filter((e) => e.index < cut))
    }
    // and createDetector.push returns exactly the events of that bucket
    const d = createDetector({ preset: 'more' })
    const pushed = pts.flatMap((p) => d.push(p.t, p.value))
    expect(pushed).toEqual(full)
  })

  it('orders presets: more >= balanced >= fewer alerts', () => {
    const excess = (i: number) => {
      const k = Math.floor(i / 300)
      return i % 300 < 6 && k > 2 ? 1 + (k % 5) * 2 : 0
    }
    const counts = (['more', 'balanced', 'fewer'] as const).map((preset) => {
      let n = 0
      for (const seed of [11, 12])
        n += starts(detectSpikes(series(seed, 14, 40, excess), { preset })).length
      return n
    })
    expect(counts[0]).toBeGreaterThanOrEqual(counts[1])
    expect(counts[1]).toBeGreaterThanOrEqual(counts[2])
    expect(counts[0]).toBeGreaterThan(counts[2])
  })

  it('rejects out-of-order buckets and bad counts', () => {
    const d = createDetector()
    d.push(T0, 1)
    expect(() => d.push(T0, 1)).toThrow(/time order/)
    expect(() => d.push(T0 + STEP, -1)).toThrow(/invalid count/)
  })
})

describe('share detector (sentiment dip)', () => {
  const run = (opts: DetectorOptions, jump: number) => {
    const r = rng(21)
    const d = createShareDetector(opts)
    const onset = at(9, 14)
    const ev: SpikeEvent[] = []
    for (let i = 0; i < 12 * DAY; i++) {
      const total = r.poisson(8) // flat volume: ~100 mentions/hour
      const share = 0.1 + (i >= onset && i < onset + 24 ? jump : 0)
      let neg = 0
      for (let k = 0; k < total; k++) if (r.u() < share) neg++
      ev.push(...d.push(T0 + i * STEP, neg, total))
    }
    return { ev: starts(ev), onset }
  }

  it('alerts when the negative share jumps at flat volume', () => {
    const { ev, onset } = run({}, 0.25)
    expect(ev).toHaveLength(1)
    expect(ev[0].index).toBeGreaterThanOrEqual(onset)
    expect(ev[0].index).toBeLessThan(onset + 24)
  })

  it('stays quiet when the share does not move', () => {
    expect(run({}, 0).ev).toEqual([])
  })

  it('validates its input', () => {
    expect(() => createShareDetector().push(T0, 3, 2)).toThrow(/invalid share/)
  })
})

describe('CLI', () => {
  const cli = (input: string, args: string[] = []) =>
    spawnSync('node', ['--import', 'tsx', 'server/cli/detect-spikes.ts', ...args], {
      input,
      encoding: 'utf8',
    })

  const errors: [string, string, RegExp][] = [
    ['missing header', '2015-02-26 21:42:53,3\n', /line 1: header/],
    [
      'bad timestamp',
      'timestamp,value\n2015-02-26 21:42:53,1\nyesterday,2\n',
      /line 3: bad timestamp/,
    ],
    ['negative value', 'timestamp,value\n2015-02-26 21:42:53,-1\n', /line 2: value must be/],
    ['not a number', 'timestamp,value\n2015-02-26 21:42:53,abc\n', /line 2: value must be/],
    ['wrong field count', 'timestamp,value\n2015-02-26 21:42:53\n', /line 2: expected 2 fields/],
    [
      'time going backwards',
      'timestamp,value\n2015-02-26 21:47:53,1\n2015-02-26 21:42:53,1\n',
      /line 3: timestamp .* is not after/,
    ],
    ['impossible date', 'timestamp,value\n2015-02-30 21:42:53,1\n', /line 2: bad timestamp/],
  ]
  for (const [name, input, re] of errors) {
    it(`rejects ${name} with exit code 2`, () => {
      const r = cli(input)
      expect(r.status).toBe(2)
      expect(r.stderr).toMatch(re)
    })
  }

  it('rejects an unknown preset', () => {
    const r = cli('timestamp,value\n', ['--preset', 'loud'])
    expect(r.status).toBe(2)
    expect(r.stderr).toMatch(/unknown preset/)
  })

  it('prints the timestamp of each incident start exactly as given', () => {
    const pts = series(31, 3, 30, (i) => (i >= at(2, 10) && i < at(2, 11) ? 30 : 0))
    const fmt = (t: number) => new Date(t).toISOString().replace('T', ' ').slice(0, 19)
    const csv = 'timestamp,value\n' + pts.map((p) => `${fmt(p.t)},${p.value}`).join('\n') + '\n'
    const r = cli(csv)
    expect(r.status).toBe(0)
    const expected = starts(detectSpikes(pts)).map((e) => fmt(e.t))
    expect(expected.length).toBe(1)
    expect(r.stdout.trim().split('\n')).toEqual(expected)
  })

  it('parses naive timestamps as UTC and keeps the raw string', () => {
    const rows = parseSeriesCsv('timestamp,value\n2015-02-26 21:42:53,4\n')
    expect(rows).toEqual([
      { raw: '2015-02-26 21:42:53', t: Date.UTC(2015, 1, 26, 21, 42, 53), value: 4 },
    ])
  })
})
