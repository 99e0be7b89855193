// `npm run eval:spike-ceiling`: how well could any online detector do on the synthetic series?
// Regenerates synth.mjs series with the hidden rate the generator drew each bucket from, runs
// reference detectors that are told part of that hidden truth, and scores them with the harness's
// own code (recall within 2 h against false alerts a week, threshold by threshold). What Vigie's
// detector gets on the same series (`npm run eval:spikes`) can then be read against a ceiling.
//
//   npm run eval:spike-ceiling -- [--shared DIR] [--seeds 101,102] [--days 28] [--n 20]
//                                 [--modes truth,shape-ar,shape] [--thresholds 3.5,4,4.5]
//
// Reference detectors (all: every window of 5 min to 4 h, negative-binomial upper tail at the
// generator's own dispersion, minimum excess 3 mentions, an incident ends after an hour under
// -log10 p = 2, no cool-down):
//   truth     knows the rate of every bucket, hourly random wander included (unattainable)
//   shape-ar  knows the daily and weekly shape and the wander's AR(1) law; follows the wander
//             with a Kalman filter on the log level, from the counts alone
//   shape     knows the daily and weekly shape; learns the level (24 h half-life) and treats the
//             wander as 20 % extra spread
// The series are the same as `synth.mjs --profile P --n N --seed S --days D`: the generator is
// loaded unchanged except for four lines that also write its rates out (checked below).

import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { nbTailScore } from '../spikes/tail'
import { loadHarness, type Result, type Series } from './spikes-harness'

type Mode = 'truth' | 'shape-ar' | 'shape'

interface Hidden {
  /** the generator's negative-binomial size */
  r: number
  /** rate per bucket, wander included */
  rate: number[]
  /** rate per bucket from the level, daily cycle and weekend factor only */
  seasonal: number[]
}

const STEP_MIN = 5
const WINDOWS = Array.from({ length: 48 }, (_, i) => i + 1) // 5 min … 4 h
const MIN_EXCESS = 3
const END_SCORE = 2
const QUIET_BUCKETS = 12
const PROBATION = 864 // 3 days: the harness does not score the first 750 rows anyway
// the generator's hourly wander: AR(1) on the log rate, rho 0.9 an hour, stationary sd about 0.23,
// plus a slow drift; per 5-minute step
const AR_RHO = Math.pow(0.9, STEP_MIN / 60)
const AR_Q = 0.0302 ** 2 + 0.0087 ** 2
const SHAPE_SPREAD = 0.2

function args() {
  const a = process.argv.slice(2)
  const o = {
    shared: resolve(process.cwd(), '../shared'),
    seeds: [101, 102, 103, 104, 105, 106, 107, 108],
    days: 28,
    n: 20,
    modes: ['truth', 'shape-ar', 'shape'] as Mode[],
    thresholds: [3, 3.5, 4, 4.5, 5, 6],
  }
  const nums = (s: string) => s.split(',').map(Number)
  for (let i = 0; i < a.length; i++) {
    const v = () => a[++i] ?? ''
    if (a[i] === '--shared') o.shared = resolve(v())
    else if (a[i] === '--seeds') o.seeds = nums(v())
    else if (a[i] === '--days') o.days = Number(v())
    else if (a[i] === '--n') o.n = Number(v())
    else if (a[i] === '--modes') o.modes = v().split(',') as Mode[]
    else if (a[i] === '--thresholds') o.thresholds = nums(v())
    else throw new Error(`unknown option ${a[i]}`)
  }
  return o
}

// The four edits that make synth.mjs also write the rates it drew; each must match exactly once,
// so a changed generator stops this tool instead of silently scoring other series.
const PATCHES: [string, string][] = [
  [
    'const windows = {}, labels = {}, spikes = {};',
    'const windows = {}, labels = {}, spikes = {}, hidden = {};',
  ],
  [
    'const base = new Float64Array(nRows);',
    'const base = new Float64Array(nRows), seasonal = new Float64Array(nRows);',
  ],
  [
    'base[i] = ((baseHour * o.step) / 60) * diurnal * weekend * Math.exp(drift + ar);',
    'base[i] = ((baseHour * o.step) / 60) * diurnal * weekend * Math.exp(drift + ar); seasonal[i] = ((baseHour * o.step) / 60) * diurnal * weekend;',
  ],
  [
    'spikes[name] = meta;',
    "spikes[name] = meta; hidden[name] = { r, rate: Array.from(base), seasonal: Array.from(seasonal) }; fs.writeFileSync(path.join(o.out, 'hidden.json'), JSON.stringify(hidden));",
  ],
]

function patchedGenerator(shared: string, dir: string): string {
  let src = readFileSync(join(shared, 'tools/spikes/synth.mjs'), 'utf8')
  for (const [from, to] of PATCHES) {
    if (src.split(from).length !== 2) throw new Error(`synth.mjs changed: cannot find «${from}»`)
    src = src.replace(from, to)
  }
  const file = join(dir, 'synth-hidden.mjs')
  writeFileSync(file, src)
  return file
}

/** Expected count and variance of the window [j+1, i] under each reference detector. */
function expectations(
  mode: Mode,
  s: Series,
  h: Hidden,
): (i: number, w: number) => [number, number] {
  const n = s.val.length
  const prefix = (f: (i: number) => number) => {
    const p = new Float64Array(n + 1)
    for (let i = 0; i < n; i++) p[i + 1] = p[i] + f(i)
    return p
  }
  if (mode === 'truth') {
    const M = prefix((i) => h.rate[i])
    const V = prefix((i) => h.rate[i] + h.rate[i] ** 2 / h.r)
    return (i, w) => [M[i + 1] - M[i + 1 - w], V[i + 1] - V[i + 1 - w]]
  }
  if (mode === 'shape') {
    // level learned online against the known shape, winsorised like Vigie's baseline
    const mu = new Float64Array(n)
    let num = 0
    let den = 0
    const lam = Math.pow(0.5, 1 / ((24 * 60) / STEP_MIN))
    for (let i = 0; i < n; i++) {
      mu[i] = h.seasonal[i] * ((num + 1) / (den + 1))
      num = lam * num + Math.min(s.val[i], mu[i] + 3 * Math.sqrt(mu[i]) + 9)
      den = lam * den + h.seasonal[i]
    }
    const M = prefix((i) => mu[i])
    const V = prefix((i) => mu[i] + mu[i] ** 2 / h.r)
    return (i, w) => {
      const m = M[i + 1] - M[i + 1 - w]
      return [m, V[i + 1] - V[i + 1 - w] + (SHAPE_SPREAD * m) ** 2]
    }
  }
  // shape-ar: extended Kalman filter on the log wander a (rate = seasonal × e^a), updated with
  // winsorised counts; a window is predicted from the state just before it
  const a = new Float64Array(n)
  const P = new Float64Array(n)
  let ai = 0
  let Pi = 0.1
  for (let i = 0; i < n; i++) {
    ai *= AR_RHO
    Pi = AR_RHO * AR_RHO * Pi + AR_Q
    const m = h.seasonal[i] * Math.exp(ai)
    const vo = m + (m * m) / h.r
    const x = Math.min(s.val[i], m + 3 * Math.sqrt(vo + m * m * Pi) + 2)
    const K = (Pi * m) / (m * m * Pi + vo)
    ai += K * (x - m)
    Pi *= 1 - K * m
    a[i] = ai
    P[i] = Pi
  }
  return (i, w) => {
    const j = i - w
    let al = a[j]
    let Pl = P[j]
    let m = 0
    let v = 0
    let spread = 0
    for (let l = 1; l <= w; l++) {
      al *= AR_RHO
      Pl = AR_RHO * AR_RHO * Pl + AR_Q
      spread += Pl
      const mk = h.seasonal[j + l] * Math.exp(al)
      m += mk
      v += mk + (mk * mk) / h.r
    }
    return [m, v + m * m * (spread / w)]
  }
}

/** Best -log10 p over the windows ending at each bucket. */
function scores(mode: Mode, s: Series, h: Hidden): Float64Array {
  const n = s.val.length
  const X = new Float64Array(n + 1)
  for (let i = 0; i < n; i++) X[i + 1] = X[i] + s.val[i]
  const expect = expectations(mode, s, h)
  const out = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    let best = 0
    for (const w of WINDOWS) {
      if (i - w < 0) break
      const x = X[i + 1] - X[i + 1 - w]
      const [m, v] = expect(i, w)
      if (x - m < MIN_EXCESS || x - m < 1.5 * Math.sqrt(v)) continue
      best = Math.max(best, nbTailScore(x, m, (m * m) / Math.max(v - m, 1e-9)))
    }
    out[i] = best
  }
  return out
}

/** Incident starts: score at the threshold opens one; an hour under END_SCORE closes it. */
function alerts(score: Float64Array, threshold: number): number[] {
  const out: number[] = []
  let open = false
  let quiet = 0
  for (let i = PROBATION; i < score.length; i++) {
    if (open) {
      quiet = score[i] < END_SCORE ? quiet + 1 : 0
      if (quiet >= QUIET_BUCKETS) open = false
    } else if (score[i] >= threshold) {
      out.push(i)
      open = true
      quiet = 0
    }
  }
  return out
}

async function main() {
  const o = args()
  const h = await loadHarness(o.shared)
  const tmp = mkdtempSync(join(tmpdir(), 'vigie-ceiling-'))
  try {
    const gen = patchedGenerator(o.shared, tmp)
    for (const profile of ['mixed', 'low']) {
      // results[mode][threshold] = per-series scores
      const results = new Map<string, Result[]>()
      for (const seed of o.seeds) {
        const dir = join(tmp, `${profile}_${seed}`)
        execFileSync(process.execPath, [
          gen,
          '--out',
          dir,
          '--profile',
          profile,
          '--n',
          String(o.n),
          '--seed',
          String(seed),
          '--days',
          String(o.days),
        ])
        const json = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8'))
        const [wins, labels, hidden] = [
          json('windows.json'),
          json('labels.json'),
          json('hidden.json'),
        ]
        for (const f of readdirSync(dir).filter((f) => f.endsWith('.csv'))) {
          const s = h.readSeriesCsv(join(dir, f))
          for (const mode of o.modes) {
            const sc = scores(mode, s, hidden[f] as Hidden)
            for (const thr of o.thresholds) {
              const key = `${mode} ${thr}`
              const r = h.scoreSeries(
                s,
                h.lookupByFile(wins, f),
                h.lookupByFile(labels, f),
                alerts(sc, thr),
                { tightH: 2 },
              )
              results.set(key, [...(results.get(key) ?? []), r])
            }
          }
        }
        rmSync(dir, { recursive: true })
      }
      for (const [key, rs] of results) {
        const [mode, thr] = key.split(' ')
        const t = h.totals(rs)
        console.log(
          `${profile.padEnd(6)} ${mode.padEnd(9)} threshold=${thr.padEnd(4)} recall_2h=${h.fmt(t.recallTight, 3)} ` +
            `fp_per_week=${h.fmt(t.fpPerWeek, 2)} (±2h ${t.tight}/${t.windows})`,
        )
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

await main()
