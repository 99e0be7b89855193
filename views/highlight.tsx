// Safe highlighting: the text is split around accent- and case-insensitive matches of the given
// words and each match is wrapped in <mark> as a JSX element, so untrusted mention text is only
// ever escaped, never parsed as HTML.
import { fold, tokenize } from '../server/text'

export interface Span {
  text: string
  mark: boolean
}

/** Folds character by character, remembering where each folded character came from. */
function foldWithMap(text: string): { folded: string; from: number[] } {
  let folded = ''
  const from: number[] = []
  for (let i = 0; i < text.length; i++) {
    const code = text.codePointAt(i)!
    const ch = String.fromCodePoint(code)
    const f = fold(ch)
    for (let k = 0; k < f.length; k++) from.push(i)
    folded += f
    if (code > 0xffff) i++
  }
  from.push(text.length)
  return { folded, from }
}

const WORD_CHAR = /[\p{L}\p{N}]/u

/**
 * Splits `text` into spans, marking every place a word of `needles` starts a word of the text
 * (prefix match, so "gen" marks "générale"; a phrase marks its whole extent).
 */
export function highlightSpans(text: string, needles: string[]): Span[] {
  const words = [...new Set(needles.map((n) => tokenize(n).join(' ')).filter(Boolean))]
  if (!text || !words.length) return [{ text, mark: false }]
  const { folded, from } = foldWithMap(text)
  // Phrases are matched with any run of non-word characters between their words.
  const pattern = words
    .sort((a, b) => b.length - a.length)
    .map((w) => w.split(' ').map(escapeRe).join('[^\\p{L}\\p{N}]+'))
    .join('|')
  const re = new RegExp(`(${pattern})[\\p{L}\\p{N}]*`, 'gu')
  const ranges: [number, number][] = []
  for (let m = re.exec(folded); m; m = re.exec(folded)) {
    if (m.index > 0 && WORD_CHAR.test(folded[m.index - 1])) continue
    ranges.push([from[m.index], from[m.index + m[0].length]])
  }
  if (!ranges.length) return [{ text, mark: false }]
  const spans: Span[] = []
  let at = 0
  for (const [s, e] of ranges) {
    if (s < at) continue
    if (s > at) spans.push({ text: text.slice(at, s), mark: false })
    spans.push({ text: text.slice(s, e), mark: true })
    at = e
  }
  if (at < text.length) spans.push({ text: text.slice(at), mark: false })
  return spans
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

export function Highlight(props: { text: string; words: string[] }) {
  return (
    <>
      {highlightSpans(props.text, props.words).map((s) =>
        s.mark ? <mark>{s.text}</mark> : s.text,
      )}
    </>
  )
}
