// Per-brand sentiment vocabulary as an admin types it: one "term = valence" per line (valence a
// whole number from -4 to +4), parsed with line-numbered errors and written back the same way.

export interface VocabularyResult {
  vocabulary: Record<string, number>
  errors: { line: number; message: string }[]
}

const LINE = /^(.+?)\s*(?:=|:)\s*([+-]?\d+(?:[.,]\d+)?)$/

export function parseVocabulary(text: string): VocabularyResult {
  const vocabulary: Record<string, number> = {}
  const errors: { line: number; message: string }[] = []
  const lines = text.split(/\r?\n/)
  lines.forEach((raw, i) => {
    const line = raw.trim()
    if (!line || line.startsWith('#')) return
    const m = LINE.exec(line)
    if (!m) {
      errors.push({ line: i + 1, message: 'format' })
      return
    }
    const term = m[1].trim().toLowerCase().replace(/\s+/g, ' ')
    const value = Number(m[2].replace(',', '.'))
    if (term.length > 60) errors.push({ line: i + 1, message: 'long' })
    else if (!Number.isInteger(value) || value < -4 || value > 4)
      errors.push({ line: i + 1, message: 'range' })
    else if (term in vocabulary) errors.push({ line: i + 1, message: 'duplicate' })
    else vocabulary[term] = value
  })
  if (Object.keys(vocabulary).length > 500) errors.push({ line: lines.length, message: 'many' })
  return { vocabulary, errors }
}

export function formatVocabulary(json: string | Record<string, number>): string {
  let v: Record<string, number> = {}
  try {
    v = typeof json === 'string' ? JSON.parse(json || '{}') : json
  } catch {}
  return Object.entries(v)
    .map(([term, n]) => `${term} = ${n > 0 ? '+' : ''}${n}`)
    .join('\n')
}
