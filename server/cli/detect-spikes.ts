// CLI for the spike detector (scorer protocol, see /work/shared/tools/spikes/README.md):
//   npm run --silent detect-spikes -- [--preset balanced] [--min-count N] [--cooldown MIN]
//                                     [--bucket-minutes 5] [--tune key=value ...] < series.csv
// Reads `timestamp,value` CSV from stdin (header, time order; naive timestamps are UTC), and prints
// the timestamp string of every row at which an incident starts, exactly as given. Online: each
// alert is decided from that row and earlier ones. Malformed input: message with line number and
// reason on stderr, exit code 2.

import { createDetector, type DetectorOptions, type Preset } from '../spikes'
import { parseSeriesCsv, CsvError } from './spikes-csv'

function usage(msg: string): never {
  process.stderr.write(
    `detect-spikes: ${msg}\nusage: detect-spikes [--preset fewer|balanced|more] [--min-count N] [--cooldown MIN] [--bucket-minutes M] < series.csv\n`,
  )
  process.exit(2)
}

function parseArgs(argv: string[]): DetectorOptions {
  const o: DetectorOptions = {}
  const tuning: Record<string, unknown> = {}
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2)
    const val = (): string => {
      const v = inline ?? argv[++i]
      if (v === undefined) usage(`missing value for ${flag}`)
      return v
    }
    const num = (): number => {
      const s = val()
      const n = Number(s)
      if (!Number.isFinite(n) || n < 0) usage(`${flag} needs a non-negative number, got '${s}'`)
      return n
    }
    switch (flag) {
      case '--preset': {
        const p = val()
        if (p !== 'fewer' && p !== 'balanced' && p !== 'more') usage(`unknown preset '${p}'`)
        o.preset = p as Preset
        break
      }
      case '--min-count':
        o.minCount = num()
        break
      case '--cooldown':
        o.cooldownMinutes = num()
        break
      case '--bucket-minutes':
        o.bucketMinutes = num()
        break
      case '--tune': {
        // evaluation only: --tune key=value (numbers, or comma-separated lists of numbers)
        const [k, v] = val().split('=')
        if (!k || v === undefined) usage('--tune expects key=value')
        tuning[k] = v.includes(',') ? v.split(',').map(Number) : Number(v)
        break
      }
      default:
        usage(`unknown option '${argv[i]}'`)
    }
  }
  if (Object.keys(tuning).length) o.tuning = tuning
  return o
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of process.stdin) chunks.push(c as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2))
  let rows
  try {
    rows = parseSeriesCsv(await readStdin())
  } catch (e) {
    if (e instanceof CsvError) {
      process.stderr.write(`detect-spikes: ${e.message}\n`)
      process.exit(2)
    }
    throw e
  }
  const det = createDetector(opts)
  const out: string[] = []
  for (const row of rows) {
    for (const ev of det.push(row.t, row.value)) {
      // an event on a gap-filled bucket is still raised when this row arrives
      if (ev.kind === 'start') out.push(row.raw)
    }
  }
  process.stdout.write(out.length ? out.join('\n') + '\n' : '')
}

await main()
