// Export of mentions for a brand and period as CSV or JSON, streamed in keyset-paged batches so a
// large export never sits in memory. CSV cells that a spreadsheet would run as a formula are
// defused with a leading apostrophe (OWASP "CSV injection"); numbers stay numbers.
import type { Db } from '../db'

export const EXPORT_COLUMNS = [
  'id',
  'brand',
  'source',
  'published_at',
  'url',
  'title',
  'text',
  'author',
  'lang',
  'sentiment_label',
  'sentiment_score',
  'manual_label',
  'status',
  'answer_url',
  // last, so the columns before them keep their places in existing spreadsheets
  'assignee',
  'note',
] as const

/**
 * One CSV cell. `decimalComma`: for the semicolon-separated variant, read by a French-language
 * Excel, which also expects "-0,275".
 */
export function csvCell(value: unknown, decimalComma = false): string {
  // a number (a sentiment score of -0.275) is data, not a formula: left as a number
  if (typeof value === 'number' && Number.isFinite(value))
    return decimalComma ? String(value).replace('.', ',') : String(value)
  let s = value === null || value === undefined ? '' : String(value)
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return `"${s.replace(/"/g, '""')}"`
}

export interface ExportQuery {
  brandId?: number
  from?: string
  to?: string
  format: 'csv' | 'json'
  /** CSV separator: ',' (the default), or ';' as Excel in French (France, Switzerland, Québec)
   * opens a file in columns, with decimal commas */
  separator?: ',' | ';'
}

type Row = Record<(typeof EXPORT_COLUMNS)[number], unknown>

async function* batches(db: Db, q: ExportQuery, size = 500): AsyncGenerator<Row[]> {
  let after = 0
  for (;;) {
    let sel = db
      .selectFrom('mentions')
      .innerJoin('brands', 'brands.id', 'mentions.brand_id')
      .innerJoin('sources', 'sources.id', 'mentions.source_id')
      .select([
        'mentions.id as id',
        'brands.name as brand',
        'sources.name as source',
        'mentions.published_at as published_at',
        'mentions.url as url',
        'mentions.title as title',
        'mentions.text as text',
        'mentions.author as author',
        'mentions.lang as lang',
        'mentions.sentiment_label as sentiment_label',
        'mentions.sentiment_score as sentiment_score',
        'mentions.manual_label as manual_label',
        'mentions.status as status',
        'mentions.answer_url as answer_url',
        'mentions.assignee as assignee',
        'mentions.note as note',
      ])
      .where('mentions.id', '>', after)
      .orderBy('mentions.id')
      .limit(size)
    if (q.brandId) sel = sel.where('mentions.brand_id', '=', q.brandId)
    if (q.from) sel = sel.where('mentions.published_at', '>=', q.from)
    if (q.to) sel = sel.where('mentions.published_at', '<', q.to)
    const rows = (await sel.execute()) as Row[]
    if (!rows.length) return
    yield rows
    after = Number(rows[rows.length - 1].id)
    if (rows.length < size) return
  }
}

export function exportStream(db: Db, q: ExportQuery): ReadableStream<Uint8Array> {
  const enc = new TextEncoder()
  const it = batches(db, q)
  let first = true
  let done = false
  const sep = q.separator ?? ','
  const cell = (v: unknown) => csvCell(v, sep === ';')
  return new ReadableStream({
    async pull(controller) {
      if (done) return
      if (first && q.format === 'csv')
        // the byte-order mark tells Excel the file is UTF-8 ("électricité", not "Ã©lectricitÃ©")
        controller.enqueue(enc.encode('\uFEFF' + EXPORT_COLUMNS.join(sep) + '\r\n'))
      if (first && q.format === 'json') controller.enqueue(enc.encode('['))
      const next = await it.next()
      if (next.done) {
        if (q.format === 'json') controller.enqueue(enc.encode(first ? ']' : '\n]'))
        controller.close()
        done = true
        return
      }
      const out =
        q.format === 'csv'
          ? next.value.map((r) => EXPORT_COLUMNS.map((c) => cell(r[c])).join(sep)).join('\r\n') +
            '\r\n'
          : next.value.map((r, i) => (first && i === 0 ? '\n' : ',\n') + JSON.stringify(r)).join('')
      first = false
      controller.enqueue(enc.encode(out))
    },
    async cancel() {
      await it.return(undefined)
    },
  })
}
