// Parser for the spike CLI's input: `timestamp,value` CSV with a header, rows in time order.
// Zone-less timestamps ("2015-02-26 21:42:53") are read as UTC, like the scoring harness does;
// ISO strings with a zone are accepted too. Errors carry the 1-based line number and the reason.

export class CsvError extends Error {}

export interface SeriesRow {
  /** the timestamp exactly as written */
  raw: string
  t: number
  value: number
}

const NAIVE_TS = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?$/
const ZONED_TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/

export function parseTimestamp(s: string): number {
  const m = NAIVE_TS.exec(s)
  if (m) {
    const [, y, mo, d, h, mi, sec, frac] = m
    const t = Date.UTC(
      +y,
      +mo - 1,
      +d,
      +h,
      +mi,
      sec ? +sec : 0,
      frac ? Math.round(+`0.${frac}` * 1000) : 0,
    )
    // reject rollovers such as 2015-02-30 or 25:00
    const back = new Date(t)
    if (back.getUTCMonth() !== +mo - 1 || back.getUTCDate() !== +d || back.getUTCHours() !== +h)
      return NaN
    return t
  }
  return ZONED_TS.test(s) ? Date.parse(s) : NaN
}

export function parseSeriesCsv(text: string): SeriesRow[] {
  const lines = text.split(/\r?\n/)
  let header: string[] | null = null
  let ti = 0
  let vi = 1
  const rows: SeriesRow[] = []
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]
    const lineNo = n + 1
    if (!line.trim()) continue
    const cells = line.split(',').map((c) => c.trim())
    if (!header) {
      header = cells.map((c) => c.toLowerCase())
      ti = header.indexOf('timestamp')
      vi = header.indexOf('value')
      if (ti < 0 || vi < 0)
        throw new CsvError(`line ${lineNo}: header must name the columns timestamp,value`)
      continue
    }
    if (cells.length !== header.length)
      throw new CsvError(`line ${lineNo}: expected ${header.length} fields, got ${cells.length}`)
    const raw = cells[ti]
    const t = parseTimestamp(raw)
    if (!Number.isFinite(t)) throw new CsvError(`line ${lineNo}: bad timestamp '${raw}'`)
    const vs = cells[vi]
    const value = vs === '' ? NaN : Number(vs)
    if (!Number.isFinite(value) || value < 0)
      throw new CsvError(`line ${lineNo}: value must be a non-negative number, got '${vs}'`)
    const prev = rows[rows.length - 1]
    if (prev && t <= prev.t)
      throw new CsvError(
        `line ${lineNo}: timestamp '${raw}' is not after the previous row '${prev.raw}'`,
      )
    rows.push({ raw, t, value })
  }
  if (!header) throw new CsvError('line 1: empty input, expected a timestamp,value header')
  return rows
}
