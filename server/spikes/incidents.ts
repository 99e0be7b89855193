// Incident grouping: turns a per-bucket anomaly score into one 'start' per incident, optional
// 'update's when the incident clearly worsens, and an 'end' once the score has stayed low for a
// quiet period (hysteresis between start and end thresholds), followed by a cool-down during which
// no new incident may start unless it is far stronger than the threshold (ESCALATE) or than the
// incident before it (the preset's escalateOverLast). This is what keeps a pager quiet during a
// long burst.

export interface SpikeEvent {
  index: number
  /** epoch ms of the bucket */
  t: number
  /** observed count (or negatives, for the share test) in the window that scored best */
  value: number
  /** expected count in that window under the baseline */
  baseline: number
  /** -log10 p of the best window */
  score: number
  kind: 'start' | 'update' | 'end'
  /** length of the window that scored best */
  windowMinutes: number
}

export interface ScoredBucket {
  /** -log10 p of each window length (same order as the tuning's windowsMinutes), 0 if gated */
  scores: number[]
  score: number
  value: number
  baseline: number
  windowMinutes: number
}

// An update is raised when the incident's score beats its last reported peak by this many orders
// of magnitude of p.
const UPDATE_STEP = 3
// ...and the channels are told again only when the extra mentions have also at least doubled
// since they were last told: the same excess held for longer shrinks p without anything growing,
// and "the incident is growing" must mean more people writing. Measured on NAB (`npm run
// eval:spikes -- --with-updates`): 44 → 34 messages outside the labelled windows.
const TELL_GROWTH = 2

/** What a channel was last told about an incident, or what it is now. */
export interface Told {
  /** -log10 p of the peak */
  score: number
  /** mentions above the baseline at the peak */
  excess: number
}

/** Whether an open incident has grown enough since `told` to post "the incident is growing". */
export function worthTellingAgain(told: Told, now: Told): boolean {
  return now.score >= told.score + UPDATE_STEP && now.excess >= TELL_GROWTH * told.excess
}
// During a cool-down a new incident may still start when its score reaches this many times the
// start threshold (in -log10 p: the p-value cubed), so that a small incident (or a false alarm)
// does not mask a far stronger one a few hours later; moderate repeats stay grouped.
const ESCALATE = 3

export class IncidentTracker {
  open = false
  private quiet = 0
  private reported = 0
  private cooldownUntil = -Infinity
  /** highest score of the current (or last) incident */
  private peak = 0

  constructor(
    private readonly quietBuckets: number,
    private readonly cooldownMs: number,
    /** ...or when its score is this many times the peak of the incident that started the
     * cool-down: a marginal alert (or a false one) must not hide a real incident later that day,
     * while the aftershocks of a big incident, weaker than it, stay grouped */
    private readonly escalateOverLast: number,
  ) {}

  /**
   * `level`: how far the bucket is over the start threshold (>= 1 starts an incident);
   * `endLevel`: the same against the end threshold (< 1 counts as quiet). Thresholds may differ
   * per window length and adapt over time, so the caller normalises.
   */
  step(index: number, t: number, b: ScoredBucket, level: number, endLevel: number): SpikeEvent[] {
    const ev = (kind: SpikeEvent['kind']): SpikeEvent => ({
      index,
      t,
      kind,
      value: b.value,
      baseline: b.baseline,
      score: b.score,
      windowMinutes: b.windowMinutes,
    })
    if (!this.open) {
      const escalates = level >= ESCALATE || b.score >= this.escalateOverLast * this.peak
      if (level >= 1 && (t >= this.cooldownUntil || escalates)) {
        this.open = true
        this.peak = b.score
        this.quiet = 0
        this.reported = b.score
        return [ev('start')]
      }
      return []
    }
    if (endLevel < 1) {
      if (++this.quiet >= this.quietBuckets) {
        this.open = false
        this.cooldownUntil = t + this.cooldownMs
        return [ev('end')]
      }
      return []
    }
    this.quiet = 0
    if (b.score > this.peak) this.peak = b.score
    if (b.score >= this.reported + UPDATE_STEP) {
      this.reported = b.score
      return [ev('update')]
    }
    return []
  }

  snapshot(): Record<string, unknown> {
    return {
      open: this.open,
      quiet: this.quiet,
      reported: this.reported,
      cooldownUntil: this.cooldownUntil,
      lastPeak: this.peak,
    }
  }
}
