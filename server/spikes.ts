// Spike detector for brand-mention counts: the entry point product code calls. Pure and online —
// no I/O, no clock: each push() sees one bucket and returns the events raised at that bucket using
// only it and earlier ones, so replaying stored buckets rebuilds the exact same state.
// Method: seasonal baseline (level × hour-of-day × weekday, robust exponentially weighted ratio
// estimators, spikes/baseline.ts) → negative-binomial tail test over several window lengths, on
// trimmed window counts so that a rise must hold two buckets (spikes/count-test.ts) → incident grouping with hysteresis and cool-down (spikes/incidents.ts).
// Sentiment dips use the same windows and incidents with a beta-binomial test on the negative
// share (spikes/share-test.ts).

import { CountTest } from './spikes/count-test'
import { ScoreCalibrator } from './spikes/calibration'
import {
  IncidentTracker,
  worthTellingAgain,
  type ScoredBucket,
  type SpikeEvent,
  type Told,
} from './spikes/incidents'
import { PRESETS, type Preset, type Tuning } from './spikes/presets'
import { ShareTest } from './spikes/share-test'

export type { Preset, SpikeEvent, Told, Tuning }
export { worthTellingAgain }

export interface DetectorOptions {
  preset?: Preset
  /** bucket length in minutes (default 5) */
  bucketMinutes?: number
  /** mentions above the baseline an alerting window must hold (default: from the preset) */
  minCount?: number
  /** minutes after an incident ends before a new one may start (default: from the preset) */
  cooldownMinutes?: number
  /** advanced: override internal constants (for evaluation; presets are the supported knobs) */
  tuning?: Partial<Tuning>
}

interface Resolved {
  tuning: Tuning
  bucketMinutes: number
  bucketMs: number
  minCount: number
  cooldownMinutes: number
}

// The calibration ignores the first day (the baseline is still learning its daily shape) and
// takes over from the absolute threshold after two more days; until then the absolute start
// threshold is raised by COLD_FACTOR, since the baseline's errors are not yet known.
const CALIBRATION_BURN_IN_DAYS = 1
const CALIBRATION_MIN_DAYS = 2
const COLD_FACTOR = 1.5

// Buckets missing between two pushes are filled with zeros (no mention stored = zero mentions) up
// to this many days; a longer gap is bridged without filling (the brand was probably paused).
const MAX_GAP_FILL_DAYS = 7

function resolve(opts: DetectorOptions = {}, kind: 'count' | 'share' = 'count'): Resolved {
  const preset = opts.preset ?? 'balanced'
  const p = PRESETS[preset]
  if (!p) throw new Error(`unknown preset ${String(preset)}`)
  const bucketMinutes = opts.bucketMinutes ?? 5
  if (!(bucketMinutes > 0)) throw new Error('bucketMinutes must be > 0')
  const share = kind === 'share'
  return {
    tuning: { ...p.tuning, ...(share ? p.share.tuning : {}), ...opts.tuning },
    bucketMinutes,
    bucketMs: bucketMinutes * 60_000,
    minCount: opts.minCount ?? (share ? p.share.minCount : p.minCount),
    cooldownMinutes: opts.cooldownMinutes ?? (share ? p.share.cooldownMinutes : p.cooldownMinutes),
  }
}

/**
 * Incident grouping fed through a per-brand, per-window-length threshold calibration: each scale
 * has its own null distribution (5-minute counts are far more heavy-tailed than 2-hour sums), and
 * the per-bucket risk is split between the scales (Bonferroni).
 */
function makeAlerting(r: Resolved) {
  const perHour = 60 / r.bucketMinutes
  const quietBuckets = Math.max(1, Math.round(r.tuning.quietMinutes / r.bucketMinutes))
  const tracker = new IncidentTracker(
    quietBuckets,
    r.cooldownMinutes * 60_000,
    r.tuning.escalateOverLast,
  )
  const nw = r.tuning.windowsMinutes.length
  const calibs = r.tuning.windowsMinutes.map(
    () =>
      new ScoreCalibrator(
        r.tuning.calibrationHalfLifeDays * 24 * perHour,
        r.tuning.risk / nw,
        CALIBRATION_MIN_DAYS * 24 * perHour,
        perHour, // an hour under RUN_FROM ends an excursion
      ),
  )
  const warmup = Math.round(r.tuning.warmupHours * perHour)
  const burnIn = Math.round(CALIBRATION_BURN_IN_DAYS * 24 * perHour)
  let sinceFit = 0
  return {
    get open() {
      return tracker.open
    },
    step(index: number, t: number, b: ScoredBucket): SpikeEvent[] {
      let level = 0
      let endLevel = 0
      for (let j = 0; j < nw; j++) {
        const th = calibs[j].thresholds(
          calibs[j].ready ? r.tuning.threshold : COLD_FACTOR * r.tuning.threshold,
          r.tuning.endThreshold,
        )
        level = Math.max(level, b.scores[j] / th.start)
        endLevel = Math.max(endLevel, b.scores[j] / th.end)
      }
      // cold start: no alert before the baseline has seen warmupHours of data
      if (index < warmup) level = 0
      const wasOpen = tracker.open
      const ev = tracker.step(index, t, b, level, endLevel)
      // as in SPOT, the calibration learns normal behaviour only: incident buckets stay out
      // (and neither does the first day, while the hour-of-day shape is still being learned)
      if (!wasOpen && !tracker.open && index >= burnIn)
        for (let j = 0; j < nw; j++) calibs[j].add(b.scores[j])
      if (++sinceFit >= perHour) {
        sinceFit = 0
        for (const c of calibs) c.refit()
      }
      return ev
    },
    snapshot: () => ({
      ...tracker.snapshot(),
      calibration: calibs.map((c) => c.snapshot()),
    }),
  }
}

/** Shared driver: validates time order, fills short gaps with empty buckets, numbers buckets. */
function driver<V extends unknown[]>(
  r: Resolved,
  empty: V,
  onBucket: (index: number, t: number, v: V) => SpikeEvent[],
) {
  let index = -1
  let lastT = -Infinity
  return (t: number, v: V): SpikeEvent[] => {
    if (!Number.isFinite(t)) throw new Error(`invalid bucket time ${t}`)
    if (t <= lastT) throw new Error(`buckets must be pushed in time order (${t} after ${lastT})`)
    const out: SpikeEvent[] = []
    if (index >= 0) {
      const missing = Math.round((t - lastT) / r.bucketMs) - 1
      if (missing > 0 && missing <= (MAX_GAP_FILL_DAYS * 86_400_000) / r.bucketMs) {
        for (let k = 1; k <= missing; k++)
          out.push(...onBucket(++index, lastT + k * r.bucketMs, empty))
      }
    }
    lastT = t
    out.push(...onBucket(++index, t, v))
    return out
  }
}

/** Online detector on one count series (negative mentions, or all mentions) of one brand. */
export function createDetector(opts?: DetectorOptions): {
  push(t: number, value: number): SpikeEvent[]
  state(): unknown
} {
  const r = resolve(opts)
  const test = new CountTest(r.tuning, r.bucketMinutes, r.minCount)
  const incidents = makeAlerting(r)
  let buckets = 0
  const step = driver<[number]>(r, [0], (index, t, [x]) => {
    buckets++
    const scored = test.step(t, x, incidents.open)
    return incidents.step(index, t, scored)
  })
  return {
    push(t, value) {
      if (!Number.isFinite(value) || value < 0) throw new Error(`invalid count ${value} at ${t}`)
      return step(t, [value])
    },
    state: () => ({ buckets, ...test.snapshot(), incident: incidents.snapshot() }),
  }
}

/** Run the online detector over a whole series (time order) and return every event. */
export function detectSpikes(
  points: { t: number; value: number }[],
  opts?: DetectorOptions,
): SpikeEvent[] {
  const d = createDetector(opts)
  const out: SpikeEvent[] = []
  for (const p of points) out.push(...d.push(p.t, p.value))
  return out
}

/**
 * Online sentiment-dip detector: per bucket, `neg` negative mentions out of `total`. Alerts when
 * the negative share jumps beyond what the brand's recent share explains, even at flat volume.
 */
export function createShareDetector(opts?: DetectorOptions): {
  push(t: number, neg: number, total: number): SpikeEvent[]
  state(): unknown
} {
  const r = resolve(opts, 'share')
  const test = new ShareTest(r.tuning, r.bucketMinutes, r.minCount)
  const incidents = makeAlerting(r)
  const step = driver<[number, number]>(r, [0, 0], (index, t, [neg, total]) =>
    incidents.step(index, t, test.step(neg, total, incidents.open)),
  )
  return {
    push(t, neg, total) {
      if (!(Number.isFinite(neg) && Number.isFinite(total) && neg >= 0 && neg <= total))
        throw new Error(`invalid share ${neg}/${total} at ${t}`)
      return step(t, [neg, total])
    },
    state: () => ({ ...test.snapshot(), incident: incidents.snapshot() }),
  }
}
