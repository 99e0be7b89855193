// Synthetic mention series for the alerting tests: a seeded day/night rhythm with Poisson counts
// and a fixed negative share, plus optional bursts — reproducible bucket by bucket.
import type { Bucket } from '../../server/alerts'

export function rng(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

export function poisson(rand: () => number, lambda: number): number {
  const l = Math.exp(-lambda)
  let k = 0
  let p = 1
  do {
    k++
    p *= rand()
  } while (p > l)
  return k - 1
}

export interface Burst {
  /** hours after the series start */
  atHours: number
  hours: number
  /** extra mentions per 5-minute bucket at the burst's peak */
  perBucket: number
  /** share of the extra mentions that are negative */
  negShare: number
}

/** `days` of 5-minute buckets from `start`: ~perHour mentions an hour by day, fewer at night. */
export function syntheticSeries(opts: {
  start: number
  days: number
  perHour: number
  negShare: number
  seed: number
  bursts?: Burst[]
}): Bucket[] {
  const rand = rng(opts.seed)
  const out: Bucket[] = []
  const n = opts.days * 288
  for (let i = 0; i < n; i++) {
    const t = opts.start + i * 300_000
    const hour = new Date(t).getUTCHours() + new Date(t).getUTCMinutes() / 60
    const rhythm = 0.35 + 0.65 * Math.max(0, Math.sin(((hour - 6) / 24) * 2 * Math.PI))
    let total = poisson(rand, (opts.perHour / 12) * rhythm)
    let neg = 0
    for (let j = 0; j < total; j++) if (rand() < opts.negShare) neg++
    for (const b of opts.bursts ?? []) {
      const h = (t - opts.start) / 3600_000 - b.atHours
      if (h < 0 || h >= b.hours) continue
      const ramp = Math.sin((h / b.hours) * Math.PI)
      const extra = poisson(rand, b.perBucket * ramp)
      total += extra
      for (let j = 0; j < extra; j++) if (rand() < b.negShare) neg++
    }
    out.push({ t, neg, total })
  }
  return out
}
