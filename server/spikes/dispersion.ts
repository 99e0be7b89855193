// Online estimate of extra dispersion beyond the sampling noise of a count model, per window
// length. Method of moments (the variance-mean relation of the negative binomial,
// Var = m + phi·m²), weighted by m² so that windows where phi is identifiable dominate, with
// winsorised residuals (Huber-style, at `clip` sd) so spikes do not inflate it, exponential
// forgetting, and shrinkage toward a prior value while few observations have been seen.

export class DispersionEstimator {
  private num = 0
  private den = 0
  private n = 0
  private readonly lam: number
  private readonly clip2: number

  constructor(
    halfLifeSteps: number,
    private readonly prior: number,
    private readonly priorSteps: number,
    clip: number,
    private readonly floor = 1e-3,
  ) {
    this.lam = Math.pow(0.5, 1 / Math.max(1, halfLifeSteps))
    this.clip2 = clip * clip
  }

  value(): number {
    const data = this.den > 0 ? Math.max(this.floor, this.num / this.den) : this.prior
    return (this.n * data + this.priorSteps * this.prior) / (this.n + this.priorSteps)
  }

  /**
   * resid = observed − expected; base = sampling variance (e.g. the Poisson mean); scale2 = the
   * factor multiplying phi in the variance (m² for counts).
   */
  add(resid: number, base: number, scale2: number): void {
    if (!(scale2 > 0)) return
    const phi = this.value()
    const v = base + phi * scale2
    const z2 = Math.min((resid * resid) / v, this.clip2)
    // a winsorised z² of a normal averages about 0.97 at 3 sd; the bias is negligible here
    this.num = this.lam * this.num + (z2 * v - base)
    this.den = this.lam * this.den + scale2
    this.n = this.lam * this.n + 1
  }
}
