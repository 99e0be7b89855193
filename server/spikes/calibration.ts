// Per-brand calibration of the alert threshold with extreme-value theory, following SPOT (Siffer
// et al., "Anomaly Detection in Streams with Extreme Value Theory", KDD 2017): fit a generalised
// Pareto distribution to the scores above a high quantile of the brand's own recent history and
// set the threshold that the score exceeds with a target probability per bucket. The count test's
// p-values are exact only if the baseline is right; real mention streams have heavier tails than
// any negative binomial (retweet cascades, bots), and this is what keeps such a brand from paging
// every day, while a well-behaved brand keeps the absolute threshold. Histogram with exponential
// forgetting (binned at 0.1 in -log10 p), refitted once per hour; GPD fitted by moments.

const BIN = 0.1
const NBINS = 3001
const INIT_QUANTILE = 0.98
const MAX_XI = 0.45 // method of moments needs a finite variance

export interface Thresholds {
  start: number
  end: number
}

export class ScoreCalibrator {
  private readonly hist = new Float64Array(NBINS)
  private total = 0
  private weight = 1
  private n = 0
  private maxBin = 0
  private readonly lam: number
  private cached: { z: number; t: number } | null = null

  constructor(
    halfLifeSteps: number,
    /** target exceedance probability per bucket */
    private readonly risk: number,
    /** buckets of history before the calibration is trusted */
    private readonly minSteps: number,
  ) {
    this.lam = Math.pow(0.5, 1 / Math.max(1, halfLifeSteps))
  }

  add(score: number): void {
    // forgetting by growing the weight of new entries; renormalise before it overflows
    this.weight /= this.lam
    if (this.weight > 1e200) {
      for (let i = 0; i < NBINS; i++) this.hist[i] /= this.weight
      this.total /= this.weight
      this.weight = 1
    }
    const bin = Math.min(NBINS - 1, Math.floor(score / BIN))
    if (bin > this.maxBin) this.maxBin = bin
    this.hist[bin] += this.weight
    this.total += this.weight
    this.n = this.lam * this.n + 1
  }

  /** Refit the tail (call once per hour or so). */
  refit(): void {
    if (this.n < this.minSteps) {
      this.cached = null
      return
    }
    // initial threshold t = high quantile of the score history; one pass from the highest
    // occupied bin down, collecting the exceedances' first two moments on the way
    const target = (1 - INIT_QUANTILE) * this.total
    let above = 0
    let s1 = 0
    let s2 = 0
    let k = this.maxBin
    for (; k > 0 && above + this.hist[k] <= target; k--) {
      const h = this.hist[k]
      const c = (k + 0.5) * BIN
      above += h
      s1 += h * c
      s2 += h * c * c
    }
    const t = (k + 1) * BIN
    if (above <= 0) {
      this.cached = { z: t, t }
      return
    }
    // moments of y = score - t
    const m1 = s1 - t * above
    const m2 = s2 - 2 * t * s1 + t * t * above
    const mean = m1 / above
    const variance = Math.max(1e-9, m2 / above - mean * mean)
    const xi = Math.min(MAX_XI, 0.5 * (1 - (mean * mean) / variance))
    const sigma = 0.5 * mean * ((mean * mean) / variance + 1)
    const ratio = (this.risk * this.total) / above
    const z =
      Math.abs(xi) < 1e-6
        ? t - sigma * Math.log(ratio)
        : t + (sigma / xi) * (Math.pow(ratio, -xi) - 1)
    this.cached = { z: Math.max(z, t), t }
  }

  get ready(): boolean {
    return this.cached !== null
  }

  /** Thresholds: never below the absolute ones (the count test's own significance levels). */
  thresholds(absStart: number, absEnd: number): Thresholds {
    if (!this.cached) return { start: absStart, end: absEnd }
    return { start: Math.max(absStart, this.cached.z), end: Math.max(absEnd, this.cached.t) }
  }

  snapshot(): Record<string, unknown> {
    return { calibratedStart: this.cached?.z ?? null, tailFrom: this.cached?.t ?? null }
  }
}
