// Per-brand calibration of the alert threshold with extreme-value theory: peaks over threshold
// with declustering (the runs method; Coles, "An Introduction to Statistical Modeling of Extreme
// Values", 2001, §5.3), in the spirit of SPOT (Siffer et al., KDD 2017). The count test's p-values
// are exact only if the baseline is right; real mention streams have heavier tails than any
// negative binomial (retweet cascades, bots), and this is what keeps such a brand from paging
// every day, while a well-behaved brand keeps the absolute threshold.
// Consecutive buckets scoring above RUN_FROM form one excursion, and only its peak enters the fit:
// a window sum stays high for as long as the window is long, so counting every bucket (plain SPOT)
// made a 4-hour window look dozens of times more "exceptional" than one alert, and its
// extrapolated threshold swung with it. A generalised Pareto distribution is fitted (by moments)
// to the excursion peaks, and the threshold is set where excursions reach it at `risk` per bucket.
// Histogram with exponential forgetting (binned at 0.1 in -log10 p), refitted once per hour.

const BIN = 0.1
const NBINS = 3001
const MAX_XI = 0.45 // method of moments needs a finite variance
// excursions start above p = 0.1 (scores under ~1.3 are not even computed by the count test)
const RUN_FROM = 1
// fewer excursions than this in the (discounted) history: no fit, the absolute threshold holds
const MIN_PEAKS = 8

export interface Thresholds {
  start: number
  end: number
}

export class ScoreCalibrator {
  private readonly hist = new Float64Array(NBINS)
  private peaks = 0
  private buckets = 0
  private weight = 1
  private maxBin = 0
  private readonly lam: number
  private runMax = -1
  private below = 0
  private cached: number | null = null

  constructor(
    halfLifeSteps: number,
    /** target rate, per bucket, of excursions that reach the threshold */
    private readonly risk: number,
    /** buckets of history before the calibration is trusted */
    private readonly minSteps: number,
    /** buckets under RUN_FROM that end an excursion */
    private readonly runGap: number,
  ) {
    this.lam = Math.pow(0.5, 1 / Math.max(1, halfLifeSteps))
  }

  add(score: number): void {
    // forgetting by growing the weight of new entries; renormalise before it overflows
    this.weight /= this.lam
    if (this.weight > 1e200) {
      for (let i = 0; i < NBINS; i++) this.hist[i] /= this.weight
      this.peaks /= this.weight
      this.buckets /= this.weight
      this.weight = 1
    }
    this.buckets += this.weight
    if (score > RUN_FROM) {
      this.runMax = Math.max(this.runMax, score)
      this.below = 0
    } else if (this.runMax >= 0 && ++this.below >= this.runGap) {
      const bin = Math.min(NBINS - 1, Math.floor(this.runMax / BIN))
      if (bin > this.maxBin) this.maxBin = bin
      this.hist[bin] += this.weight
      this.peaks += this.weight
      this.runMax = -1
      this.below = 0
    }
  }

  /** Refit the tail (call once per hour or so). */
  refit(): void {
    // weighted counts divided by the current weight are the discounted numbers of buckets/peaks
    if (this.buckets / this.weight < this.minSteps) {
      this.cached = null
      return
    }
    if (this.peaks / this.weight < MIN_PEAKS) {
      this.cached = RUN_FROM
      return
    }
    // moments of the excesses y = peak - RUN_FROM
    let s1 = 0
    let s2 = 0
    for (let k = 0; k <= this.maxBin; k++) {
      const h = this.hist[k]
      if (!h) continue
      const y = (k + 0.5) * BIN - RUN_FROM
      s1 += h * y
      s2 += h * y * y
    }
    const mean = s1 / this.peaks
    const variance = Math.max(1e-9, s2 / this.peaks - mean * mean)
    const xi = Math.min(MAX_XI, 0.5 * (1 - (mean * mean) / variance))
    const sigma = 0.5 * mean * ((mean * mean) / variance + 1)
    // probability that an excursion reaches the threshold = target rate / excursion rate
    const ratio = Math.min(1, (this.risk * this.buckets) / this.peaks)
    const z =
      Math.abs(xi) < 1e-6
        ? RUN_FROM - sigma * Math.log(ratio)
        : RUN_FROM + (sigma / xi) * (Math.pow(ratio, -xi) - 1)
    this.cached = Math.max(z, RUN_FROM)
  }

  get ready(): boolean {
    return this.cached !== null
  }

  /** Thresholds: never below the absolute ones (the count test's own significance levels). */
  thresholds(absStart: number, absEnd: number): Thresholds {
    return { start: Math.max(absStart, this.cached ?? absStart), end: absEnd }
  }

  snapshot(): Record<string, unknown> {
    return {
      calibratedStart: this.cached,
      excursionsPerBucket: this.buckets > 0 ? this.peaks / this.buckets : null,
    }
  }
}
