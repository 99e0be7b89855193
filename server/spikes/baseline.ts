// Seasonal count baseline: expected mentions per bucket = level × hour-of-day shape × day-type
// (weekday / weekend) factor, each an exponentially weighted ratio estimator (sum of counts / sum of exposure), in the
// spirit of multiplicative Holt-Winters with two seasonalities (Winters 1960; Taylor 2003,
// "Short-term electricity demand forecasting using double seasonal exponential smoothing").
// Ratio-of-sums rather than averaged log-ratios keeps it unbiased for tiny Poisson counts, and the
// level carries a Gamma posterior (prior a0/b0 plus discounted counts/exposure), so a brand added
// yesterday gets a wide predictive distribution instead of an overconfident one (cold start).
// Two day types rather than seven weekdays: with a few weeks of history a per-weekday factor rests
// on two or three days each and soaks up incidents, while weekday/weekend is learned in one week.

export interface BaselineConfig {
  bucketMinutes: number
  levelHalfLifeH: number
  shapeHalfLifeDays: number
  weekdayHalfLifeDays: number
}

export interface Prediction {
  /** expected count for the bucket */
  mu: number
  /** Gamma-posterior shape of the level: the predictive NB size from parameter uncertainty */
  size: number
}

const DAY_MS = 86_400_000
// Gamma prior on the level: weak (half a mention), centred on one mention per hour, so that a few
// hours of data dominate it.
const PRIOR_A = 0.5
// Gamma(k, k) priors on each hour-of-day / weekday factor, as pseudo-mentions: information about a
// factor grows with the mentions seen, so a busy brand's shape is learned within days. Each hour
// is shrunk not toward flat but toward the hour's neighbourhood (triangular kernel over ±2 h),
// itself shrunk toward flat: a daily cycle is smooth, so a quiet brand learns its shape from the
// hours around it instead of keeping a flat one that over-predicts its nights, while a busy
// brand's own hourly ratios dominate their prior.
const SHAPE_PRIOR_MENTIONS = 10
const SHAPE_KERNEL = [1, 2, 3, 2, 1]
const WEEKDAY_PRIOR_MENTIONS = 20

export class SeasonalBaseline {
  private readonly perHour: number
  private readonly lamL: number
  private readonly lamS: number
  private readonly lamW: number
  private readonly priorB: number
  private lNum = 0
  private lDen = 0
  private readonly sNum = new Float64Array(24)
  private readonly sDen = new Float64Array(24)
  private readonly wNum = new Float64Array(2)
  private readonly wDen = new Float64Array(2)
  private sFac = new Float64Array(24).fill(1)
  private wFac = new Float64Array(2).fill(1)
  private lastHour = -1

  constructor(cfg: BaselineConfig) {
    const perHour = 60 / cfg.bucketMinutes
    this.perHour = perHour
    const decay = (halfLifeSteps: number) => Math.pow(0.5, 1 / Math.max(1, halfLifeSteps))
    this.lamL = decay(cfg.levelHalfLifeH * perHour)
    // shape slots are visited perHour times a day; day-type slots 24*perHour times per day of
    // that type, so the weekday half-life is counted in days of the same type
    this.lamS = decay(cfg.shapeHalfLifeDays * perHour)
    this.lamW = decay(cfg.weekdayHalfLifeDays * 24 * perHour)
    this.priorB = PRIOR_A * perHour // prior mean 1 mention / hour
  }

  private static slots(t: number): [number, number] {
    const day = Math.floor(t / DAY_MS)
    const hour = Math.floor((t - day * DAY_MS) / 3_600_000)
    const dow = (((day + 4) % 7) + 7) % 7 // 1970-01-01 was a Thursday
    return [hour, dow === 0 || dow === 6 ? 1 : 0]
  }

  /** Recompute the normalised factors; once per hour is enough (they move slowly). */
  private refresh(): void {
    let s = 0
    const half = (SHAPE_KERNEL.length - 1) / 2
    for (let h = 0; h < 24; h++) {
      let num = 0
      let den = 0
      for (let k = 0; k < SHAPE_KERNEL.length; k++) {
        const hh = (h + k - half + 24) % 24
        num += SHAPE_KERNEL[k] * this.sNum[hh]
        den += SHAPE_KERNEL[k] * this.sDen[hh]
      }
      const pooled = (num + SHAPE_PRIOR_MENTIONS) / (den + SHAPE_PRIOR_MENTIONS)
      const v =
        (this.sNum[h] + SHAPE_PRIOR_MENTIONS * pooled) / (this.sDen[h] + SHAPE_PRIOR_MENTIONS)
      this.sFac[h] = v
      s += v
    }
    for (let h = 0; h < 24; h++) this.sFac[h] /= s / 24
    // normalise so that a week averages 1 (5 weekdays, 2 weekend days)
    for (let d = 0; d < 2; d++)
      this.wFac[d] =
        (this.wNum[d] + WEEKDAY_PRIOR_MENTIONS) / (this.wDen[d] + WEEKDAY_PRIOR_MENTIONS)
    const w = (5 * this.wFac[0] + 2 * this.wFac[1]) / 7
    for (let d = 0; d < 2; d++) this.wFac[d] /= w
  }

  level(): number {
    return (this.lNum + PRIOR_A) / (this.lDen + this.priorB)
  }

  predict(t: number): Prediction {
    const [h, d] = SeasonalBaseline.slots(t)
    const hourKey = Math.floor(t / 3_600_000)
    if (hourKey !== this.lastHour) {
      this.lastHour = hourKey
      this.refresh()
    }
    return { mu: this.level() * this.sFac[h] * this.wFac[d], size: this.lNum + PRIOR_A }
  }

  /**
   * Learn from bucket t. `x` should already be winsorised by the caller, so that a spike moves the
   * baseline by a bounded amount per bucket (robust updating).
   */
  update(t: number, x: number): void {
    const [h, d] = SeasonalBaseline.slots(t)
    const level = this.level()
    const s = this.sFac[h]
    const w = this.wFac[d]
    this.lNum = this.lamL * this.lNum + x
    this.lDen = this.lamL * this.lDen + s * w
    // shape and weekday factors are measured against the level (they are normalised on use)
    this.sNum[h] = this.lamS * this.sNum[h] + x
    this.sDen[h] = this.lamS * this.sDen[h] + level * w
    this.wNum[d] = this.lamW * this.wNum[d] + x
    this.wDen[d] = this.lamW * this.wDen[d] + level * s
  }

  snapshot(): Record<string, unknown> {
    return {
      level: this.level(),
      levelWeight: this.lNum,
      hourShape: Array.from(this.sFac),
      dayTypeFactor: { weekday: this.wFac[0], weekend: this.wFac[1] },
    }
  }

  get bucketsPerHour(): number {
    return this.perHour
  }
}
