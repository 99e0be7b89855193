// Evaluates the product's language routing and sentiment scorers on a labelled TSV file
// ("pos|neg|neu<TAB>text" per line). The data stays outside the project: pass its path.
// Prints accuracy, macro-F1, negative-class P/R/F1, the confusion matrix and throughput;
// the last line is machine-readable: acc=… macro_f1=… neg_f1=… texts_per_s=…

import { existsSync, readFileSync } from 'node:fs'
import { detectLanguage, type Lang } from '../language'
import { labelFor, scoreSentiment, type SentimentLabel } from '../sentiment'
import { winkBaseline } from '../sentiment/en'

const USAGE = `usage: npm run eval:sentiment -- FILE.tsv [--lang en|fr|auto] [--half a|b] [--baseline] [--sweep]
  FILE.tsv     lines "label<TAB>text", label in pos|neg|neu
  --lang       auto (default) routes each text through detectLanguage; en/fr forces a scorer
  --half       keep only even (a) or odd (b) lines: tune on one half, check on the other
  --baseline   score with plain wink-sentiment (score > 0 positive, < 0 negative) instead
  --sweep      also print macro-F1 for a grid of symmetric neutral bands`

const LABELS: SentimentLabel[] = ['positive', 'neutral', 'negative']
const FROM_FILE: Record<string, SentimentLabel> = {
  pos: 'positive',
  neu: 'neutral',
  neg: 'negative',
}

interface Args {
  file: string
  lang: Lang | 'auto'
  half: 'a' | 'b' | null
  baseline: boolean
  sweep: boolean
}

function fail(message: string): never {
  console.error(`error: ${message}\n${USAGE}`)
  process.exit(2)
}

function parseArgs(argv: string[]): Args {
  const args: Args = { file: '', lang: 'auto', half: null, baseline: false, sweep: false }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--help' || a === '-h') {
      console.log(USAGE)
      process.exit(0)
    } else if (a === '--lang') {
      const v = argv[++i]
      if (v !== 'en' && v !== 'fr' && v !== 'auto') fail(`--lang expects en, fr or auto, got ${v}`)
      args.lang = v
    } else if (a === '--half') {
      const v = argv[++i]
      if (v !== 'a' && v !== 'b') fail(`--half expects a or b, got ${v}`)
      args.half = v
    } else if (a === '--baseline') args.baseline = true
    else if (a === '--sweep') args.sweep = true
    else if (a.startsWith('-')) fail(`unknown option ${a}`)
    else if (args.file) fail(`unexpected argument ${a}`)
    else args.file = a
  }
  if (!args.file) fail('missing FILE.tsv')
  if (!existsSync(args.file)) fail(`no such file: ${args.file}`)
  return args
}

// The benchmark files store some characters as literal "\u2019" escapes; decode them so the
// scorers see the text a user would have typed.
function unescape(text: string): string {
  return text.replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  )
}

function load(args: Args): { gold: SentimentLabel[]; texts: string[] } {
  const gold: SentimentLabel[] = []
  const texts: string[] = []
  const lines = readFileSync(args.file, 'utf8').split('\n')
  let n = 0
  lines.forEach((line, i) => {
    if (!line.trim()) return
    const tab = line.indexOf('\t')
    const label = FROM_FILE[line.slice(0, tab)]
    if (tab < 0 || !label) fail(`line ${i + 1}: expected "pos|neg|neu<TAB>text"`)
    const keep = args.half === null || (n % 2 === 0) === (args.half === 'a')
    n++
    if (!keep) return
    gold.push(label)
    texts.push(unescape(line.slice(tab + 1)))
  })
  if (texts.length === 0) fail('no labelled lines')
  return { gold, texts }
}

interface Report {
  acc: number
  macroF1: number
  neg: { p: number; r: number; f1: number }
  confusion: number[][]
}

function evaluate(gold: SentimentLabel[], pred: SentimentLabel[]): Report {
  const confusion = LABELS.map(() => LABELS.map(() => 0))
  let correct = 0
  gold.forEach((g, i) => {
    confusion[LABELS.indexOf(g)][LABELS.indexOf(pred[i])]++
    if (g === pred[i]) correct++
  })
  const per = LABELS.map((_, k) => {
    const tp = confusion[k][k]
    const predicted = confusion.reduce((s, row) => s + row[k], 0)
    const actual = confusion[k].reduce((s, x) => s + x, 0)
    const p = predicted ? tp / predicted : 0
    const r = actual ? tp / actual : 0
    return { p, r, f1: p + r ? (2 * p * r) / (p + r) : 0 }
  })
  return {
    acc: correct / gold.length,
    macroF1: per.reduce((s, x) => s + x.f1, 0) / per.length,
    neg: per[2],
    confusion,
  }
}

const pct = (x: number) => (100 * x).toFixed(1)

function main(): void {
  const args = parseArgs(process.argv.slice(2))
  const { gold, texts } = load(args)

  const run = (): { scores: number[]; langs: Lang[] } => {
    const scores: number[] = []
    const langs: Lang[] = []
    for (const text of texts) {
      const lang = args.lang === 'auto' ? detectLanguage(text) : args.lang
      langs.push(lang)
      scores.push(args.baseline ? winkBaseline(text) : scoreSentiment(text, lang).score)
    }
    return { scores, langs }
  }
  // Warm-up pass (JIT), then repeat passes for at least a second so throughput is stable.
  // Throughput is measured on this process's CPU time, i.e. one core, so that a busy shared
  // machine does not make the figure meaningless.
  const { scores, langs } = run()
  let passes = 0
  const t0 = performance.now()
  const cpu0 = process.cpuUsage()
  do {
    run()
    passes++
  } while (performance.now() - t0 < 1000)
  const cpu = process.cpuUsage(cpu0)
  const seconds = (cpu.user + cpu.system) / 1e6 / passes
  const toLabel = (s: number): SentimentLabel =>
    args.baseline ? (s > 0 ? 'positive' : s < 0 ? 'negative' : 'neutral') : labelFor(s)
  const pred = scores.map(toLabel)
  const rep = evaluate(gold, pred)
  const tps = Math.round(texts.length / seconds)

  const routed = { fr: 0, en: 0, other: 0 }
  for (const l of langs) routed[l]++
  console.log(`file: ${args.file}${args.half ? ` (half ${args.half})` : ''}`)
  console.log(
    `texts: ${texts.length}  scorer: ${args.baseline ? 'wink-sentiment baseline' : 'vigie'}`,
  )
  console.log(
    `routing (--lang ${args.lang}): fr=${routed.fr} en=${routed.en} other=${routed.other}`,
  )
  console.log(`accuracy ${pct(rep.acc)}  macro-F1 ${pct(rep.macroF1)}`)
  console.log(
    `negative: precision ${pct(rep.neg.p)} recall ${pct(rep.neg.r)} F1 ${pct(rep.neg.f1)}`,
  )
  console.log('confusion (rows gold, columns predicted: pos neu neg)')
  LABELS.forEach((l, k) =>
    console.log(`  ${l.padEnd(8)} ${rep.confusion[k].map((x) => String(x).padStart(5)).join('')}`),
  )
  if (args.sweep && !args.baseline) {
    for (let band = 0.05; band <= 0.7001; band += 0.05) {
      const r = evaluate(
        gold,
        scores.map((s) => (s >= band ? 'positive' : s <= -band ? 'negative' : 'neutral')),
      )
      console.log(`  band ${band.toFixed(2)}: macro-F1 ${pct(r.macroF1)} neg-F1 ${pct(r.neg.f1)}`)
    }
  }
  console.log(`throughput: ${tps} texts/s (route + score, CPU time of one core)`)
  console.log(
    `acc=${pct(rep.acc)} macro_f1=${pct(rep.macroF1)} neg_f1=${pct(rep.neg.f1)} texts_per_s=${tps}`,
  )
}

main()
