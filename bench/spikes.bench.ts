// Benchmark: time to rebuild spike-detector state by replaying 28 days of 5-minute buckets
// (8,064 per brand) for 100 brands of mixed volume, with a fixed seed. Run: tsx bench/spikes.bench.ts
// Prints per-brand replay time (mean, p95, max) and the total, so the product can budget a
// rebuild on start-up or after a config change.

import { createDetector } from '../server/spikes'
import { mulberry32 } from '../server/random'

const BRANDS = Number(process.env.BRANDS ?? 100)
const BUCKETS = 28 * 288
const STEP = 5 * 60_000
const T0 = Date.UTC(2024, 0, 1)

function poisson(u: () => number, lam: number): number {
  if (lam > 30) {
    const z = Math.sqrt(-2 * Math.log(u() + 1e-12)) * Math.cos(2 * Math.PI * u())
    return Math.max(0, Math.round(lam + Math.sqrt(lam) * z))
  }
  const L = Math.exp(-lam)
  let k = 0
  let p = 1
  do {
    k++
    p *= u()
  } while (p > L)
  return k - 1
}

const u = mulberry32(42)
const series: Float64Array[] = []
for (let b = 0; b < BRANDS; b++) {
  const perHour = Math.exp(Math.log(0.3) + u() * Math.log(300 / 0.3)) // 0.3 … 300 mentions/hour
  const v = new Float64Array(BUCKETS)
  for (let i = 0; i < BUCKETS; i++) {
    const h = (i % 288) / 12
    const cycle = 1 + 0.6 * Math.cos((2 * Math.PI * (h - 16)) / 24)
    const burst = i % 2000 < 6 && i > 1500 ? 5 : 1
    v[i] = poisson(u, (perHour / 12) * cycle * burst)
  }
  series.push(v)
}

const times: number[] = []
let events = 0
const t0 = performance.now()
for (const v of series) {
  const s = performance.now()
  const d = createDetector({ preset: 'balanced' })
  for (let i = 0; i < BUCKETS; i++) events += d.push(T0 + i * STEP, v[i]).length
  times.push(performance.now() - s)
}
const total = performance.now() - t0
times.sort((a, b) => a - b)
const mean = times.reduce((a, b) => a + b, 0) / times.length
console.log(
  `spike detector replay: ${BRANDS} brands x ${BUCKETS} buckets (28 days @ 5 min), seed 42`,
)
console.log(
  `per brand: mean ${mean.toFixed(1)} ms, p95 ${times[Math.floor(0.95 * times.length)].toFixed(1)} ms, max ${times[times.length - 1].toFixed(1)} ms`,
)
console.log(
  `total: ${total.toFixed(0)} ms (${((total * 1000) / (BRANDS * BUCKETS)).toFixed(2)} µs/bucket), ${events} events`,
)
