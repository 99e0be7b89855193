// The evaluation harness's scoring code (../shared/tools/spikes/lib/common.mjs), loaded at run time
// by the spike evaluation CLIs so their figures are the scorer's own; typed here once.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

export interface Series {
  ts: number[]
  val: number[]
}
export interface Window {
  hitTight: boolean
  detected: boolean
  label: string
  tags?: Record<string, string>
}
export interface Result {
  name?: string
  fp: number
  fpTimes: string[]
  perWindow: Window[]
  nab: { standard: { norm: number } }
}
export interface Totals {
  recall: number
  recallTight: number
  fpPerWeek: number
  fp: number
  tight: number
  windows: number
  nab: { standard: { norm: number } }
}
export interface Harness {
  readSeriesCsv(file: string): Series
  scoreSeries(s: Series, wins: unknown, labels: unknown, alerts: number[], o: object): Result
  totals(rs: Result[]): Totals
  lookupByFile(o: unknown, file: string): unknown
  fmt(x: number, d?: number): string
}

/** The harness under `shared` (the folder holding tools/spikes/), or a clear error. */
export async function loadHarness(shared: string): Promise<Harness> {
  const lib = join(shared, 'tools/spikes/lib/common.mjs')
  if (!existsSync(lib)) throw new Error(`scoring harness not found at ${lib} (use --shared DIR)`)
  return (await import(pathToFileURL(lib).href)) as Harness
}
