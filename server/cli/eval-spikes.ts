// `npm run eval:spikes`: scores the product's spike detector in-process, with the evaluation
// harness's own scoring code (../shared/tools/spikes/lib/common.mjs, loaded at run time), on the
// NAB realTweets series and on synthetic folders made by synth.mjs. The figures are those of
// `score.mjs "npm run --silent detect-spikes"` (same alerts: incident starts), without spawning a
// process per series, so a tuning experiment over a dozen synthetic seeds takes seconds.
//
//   npm run eval:spikes -- [--shared DIR] [--synth DIR ...] [--tune '{"threshold":4}']
//                          [--preset balanced] [--cooldown MIN] [--min-count N] [--detail] [--no-real]
//                          [--with-updates]
//
// --synth takes folders written by `synth.mjs --out DIR`; each profile found in a folder name
// (mixed, low, high, mid) is reported on one line, all seeds pooled. --detail lists every missed
// window (±2 h) and false alarm. --with-updates also counts the "incident is growing" messages the
// channels would get (a new post on Slack, Teams, Mattermost and Google Chat; Discord edits its
// message), with the product's own rule (worthTellingAgain), so this is the page count a channel
// sees, where the default counts alerts opened (what `detect-spikes` prints).

import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import {
  detectSpikes,
  worthTellingAgain,
  type Preset,
  type SpikeEvent,
  type Told,
  type Tuning,
} from '../spikes'
import { loadHarness, type Result } from './spikes-harness'

function args() {
  const a = process.argv.slice(2)
  const o = {
    shared: resolve(process.cwd(), '../shared'),
    synth: [] as string[],
    tune: {} as Partial<Tuning>,
    preset: 'balanced' as Preset,
    detail: false,
    real: true,
    cooldownMinutes: undefined as number | undefined,
    minCount: undefined as number | undefined,
    withUpdates: false,
  }
  for (let i = 0; i < a.length; i++) {
    const v = () => a[++i] ?? ''
    if (a[i] === '--shared') o.shared = resolve(v())
    else if (a[i] === '--synth') o.synth.push(resolve(v()))
    else if (a[i] === '--tune') o.tune = JSON.parse(v())
    else if (a[i] === '--preset') o.preset = v() as Preset
    else if (a[i] === '--detail') o.detail = true
    else if (a[i] === '--no-real') o.real = false
    else if (a[i] === '--cooldown') o.cooldownMinutes = Number(v())
    else if (a[i] === '--min-count') o.minCount = Number(v())
    else if (a[i] === '--with-updates') o.withUpdates = true
    else throw new Error(`unknown option ${a[i]}`)
  }
  return o
}

const json = (f: string) => JSON.parse(readFileSync(f, 'utf8'))

/** Alerts opened, and with `withUpdates` the growth messages the channels would get too. */
function pages(events: SpikeEvent[], withUpdates: boolean): SpikeEvent[] {
  const out: SpikeEvent[] = []
  let told: Told | null = null
  for (const e of events) {
    const now = { score: e.score, excess: e.value - e.baseline }
    if (
      e.kind === 'start' ||
      (withUpdates && e.kind === 'update' && told && worthTellingAgain(told, now))
    ) {
      told = now
      out.push(e)
    }
  }
  return out
}

async function main() {
  const o = args()
  const h = await loadHarness(o.shared)

  const score = (dir: string, winFile: string, labFile: string, metaFile?: string): Result[] => {
    const wins = json(winFile)
    const labels = json(labFile)
    const meta = metaFile && existsSync(metaFile) ? json(metaFile) : null
    return readdirSync(dir)
      .filter((f) => f.endsWith('.csv'))
      .sort()
      .map((f) => {
        const s = h.readSeriesCsv(join(dir, f))
        const events = detectSpikes(
          s.ts.map((t, i) => ({ t, value: s.val[i] })),
          {
            preset: o.preset,
            tuning: o.tune,
            cooldownMinutes: o.cooldownMinutes,
            minCount: o.minCount,
          },
        )
        const alerts = [...new Set(pages(events, o.withUpdates).map((e) => e.index))]
        const r = h.scoreSeries(s, h.lookupByFile(wins, f), h.lookupByFile(labels, f), alerts, {
          tightH: 2,
        })
        r.name = `${basename(dir)}/${f}`
        const m = meta ? (h.lookupByFile(meta, f) as { tags: Record<string, string> }[]) : null
        if (m) r.perWindow.forEach((w, k) => (w.tags = m[k]?.tags))
        return r
      })
  }

  const report = (name: string, rs: Result[]) => {
    const t = h.totals(rs)
    console.log(
      `${name.padEnd(8)} recall=${h.fmt(t.recall)} recall_2h=${h.fmt(t.recallTight, 3)} ` +
        `fp_per_week=${h.fmt(t.fpPerWeek, 2)} nab_standard=${h.fmt(t.nab.standard.norm, 1)} ` +
        `(±2h ${t.tight}/${t.windows}, ${t.fp} false alarms)`,
    )
    if (!o.detail) return
    for (const r of rs) {
      for (const w of r.perWindow)
        if (!w.hitTight)
          console.log(
            `  ${r.name} missed ±2h ${w.label}${w.detected ? ' (caught later)' : ''} ${w.tags ? JSON.stringify(w.tags) : ''}`,
          )
      for (const f of r.fpTimes) console.log(`  ${r.name} false alarm ${f}`)
    }
  }

  const nab = join(o.shared, 'data/spikes')
  if (o.real && existsSync(nab)) {
    const rs = score(
      join(nab, 'realTweets'),
      join(nab, 'labels/combined_windows.json'),
      join(nab, 'labels/combined_labels.json'),
    )
    report('real', rs)
    if (!o.detail)
      console.log(
        '         ' +
          rs
            .map(
              (r) =>
                `${r.name?.replace(/.*volume_|\.csv/g, '')} ${h.fmt(r.nab.standard.norm, 1)}/${r.fp}fp`,
            )
            .join('  '),
      )
  }
  const byProfile = new Map<string, Result[]>()
  for (const dir of o.synth) {
    const profile = /mixed|low|high|mid/.exec(basename(dir))?.[0] ?? basename(dir)
    const rs = score(
      dir,
      join(dir, 'windows.json'),
      join(dir, 'labels.json'),
      join(dir, 'spikes.json'),
    )
    byProfile.set(profile, [...(byProfile.get(profile) ?? []), ...rs])
  }
  for (const [p, rs] of byProfile) report(p, rs)
}

await main()
