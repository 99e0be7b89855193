// Multi-scale share test for sentiment dips: for each window, the negatives K out of N mentions
// against the brand's recent negative share p, scored by the beta-binomial upper tail
// -log10 P(K >= k). The beta's concentration combines the posterior weight of p (few mentions seen
// → wide) with the estimated extra dispersion of the share at that scale (same moment estimator as
// the counts, on Var(K) = N p(1-p) (1 + (N-1) rho)). Volume can stay flat: only the share moves.

import { DispersionEstimator } from './dispersion'
import type { ScoredBucket } from './incidents'
import type { Tuning } from './presets'
import { betaBinomTailScore } from './tail'

// Beta prior on the share: one negative in five mentions, worth five mentions.
const PRIOR_NEG = 1
const PRIOR_POS = 4

export class ShareTest {
  private readonly widths: number[]
  private readonly minutes: number[]
  private readonly disp: DispersionEstimator[]
  private readonly ks: Float64Array
  private readonly ns: Float64Array
  private readonly ps: Float64Array
  private readonly lam: number
  private kSum = 0
  private nSum = 0
  private head = 0
  private seen = 0

  constructor(
    private readonly tuning: Tuning,
    bucketMinutes: number,
    private readonly minExcess: number,
  ) {
    const perHour = 60 / bucketMinutes
    this.widths = tuning.windowsMinutes.map((m) => Math.max(1, Math.round(m / bucketMinutes)))
    this.minutes = this.widths.map((w) => w * bucketMinutes)
    this.disp = this.widths.map(
      () =>
        new DispersionEstimator(
          tuning.dispersionHalfLifeH * perHour,
          tuning.dispersionPrior / 10,
          24 * perHour,
          tuning.clipSd,
          1e-4,
        ),
    )
    const cap = Math.max(...this.widths)
    this.ks = new Float64Array(cap)
    this.ns = new Float64Array(cap)
    this.ps = new Float64Array(cap)
    this.lam = Math.pow(0.5, 1 / Math.max(1, tuning.levelHalfLifeH * perHour))
  }

  step(neg: number, total: number, inIncident: boolean): ScoredBucket {
    const a = this.kSum + PRIOR_NEG
    const b = this.nSum - this.kSum + PRIOR_POS
    const p = a / (a + b)
    const cap = this.ks.length
    this.ks[this.head] = neg
    this.ns[this.head] = total
    this.ps[this.head] = p
    this.head = (this.head + 1) % cap
    this.seen++
    const scores = new Array<number>(this.widths.length).fill(0)
    const best: ScoredBucket = {
      scores,
      score: 0,
      value: neg,
      baseline: total * p,
      windowMinutes: this.minutes[0],
    }
    let K = 0
    let N = 0
    let E = 0
    let k = 0
    for (let j = 0; j < this.widths.length; j++) {
      const w = Math.min(this.widths[j], this.seen)
      for (; k < w; k++) {
        const i = (this.head - 1 - k + cap) % cap
        K += this.ks[i]
        N += this.ns[i]
        E += this.ns[i] * this.ps[i]
      }
      if (N <= 0) continue
      const pw = E / N
      const rho = this.disp[j].value()
      if (K - E >= this.minExcess) {
        // concentration: posterior weight of p, widened by the extra dispersion at this scale
        const conc = 1 / (1 / (a + b) + rho)
        const s = betaBinomTailScore(K, N, pw * conc, (1 - pw) * conc)
        scores[j] = s
        if (s > best.score)
          Object.assign(best, { score: s, value: K, baseline: E, windowMinutes: this.minutes[j] })
      }
      if (!inIncident && w === this.widths[j] && N > 1) {
        const v = pw * (1 - pw)
        this.disp[j].add(K - E, N * v, N * (N - 1) * v)
      }
    }
    // robust update of the share: winsorise the negatives like the count baseline does
    const c = this.tuning.clipSd
    const sd = Math.sqrt(total * p * (1 - p) * (1 + (total - 1) * this.disp[0].value()))
    const kc = Math.min(Math.max(neg, total * p - c * sd), total * p + c * sd + c * c, total)
    this.kSum = this.lam * this.kSum + kc
    this.nSum = this.lam * this.nSum + total
    return best
  }

  snapshot(): Record<string, unknown> {
    const a = this.kSum + PRIOR_NEG
    const b = this.nSum - this.kSum + PRIOR_POS
    return {
      share: a / (a + b),
      weight: a + b,
      dispersion: Object.fromEntries(this.minutes.map((m, j) => [`${m}min`, this.disp[j].value()])),
    }
  }
}
