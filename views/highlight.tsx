// Safe highlighting: the text is split around accent- and case-insensitive matches of the given
// words and each match is wrapped in <mark> by an escaping html`` template (usable from JSX pages
// and from the feed cards alike), so untrusted mention text is only ever escaped, never parsed.
import { html } from 'hono/html'
import { fold, tokenize } from '../server/text'

export interface Span {
  text: string
  mark: boolean
}

/** Folds character by character, remembering where each folded character came from. */
function foldWithMap(text: string): { folded: string; from: number[] } {
  // Most texts fold character for character: then the map is the identity.
  const whole = fold(text)
  if (whole.length === text.length && !/[\ud800-\udfff]/.test(text)) {
    const from = new Array<number>(text.length + 1)
    for (let i = 0; i <= text.length; i++) from[i] = i
    return { folded: whole, from }
  }
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

// Compiled patterns per set of words: a feed page highlights the same few words 60 times.
const patterns = new Map<string, RegExp | null>()

function patternFor(needles: string[]): RegExp | null {
  const cacheKey = needles.join('\u0000')
  let re = patterns.get(cacheKey)
  if (re !== undefined) return re
  const words = [...new Set(needles.map((n) => tokenize(n).join(' ')).filter(Boolean))]
  // Phrases are matched with any run of non-word characters between their words.
  re = words.length
    ? new RegExp(
        `(${words
          .sort((a, b) => b.length - a.length)
          .map((w) => w.split(' ').map(escapeRe).join('[^\\p{L}\\p{N}]+'))
          .join('|')})[\\p{L}\\p{N}]*`,
        'gu',
      )
    : null
  if (patterns.size > 500) patterns.clear()
  patterns.set(cacheKey, re)
  return re
}

/**
 * Splits `text` into spans, marking every place a word of `needles` starts a word of the text
 * (prefix match, so "gen" marks "générale"; a phrase marks its whole extent).
 */
export function highlightSpans(text: string, needles: string[]): Span[] {
  const re = patternFor(needles)
  if (!text || !re) return [{ text, mark: false }]
  re.lastIndex = 0
  const { folded, from } = foldWithMap(text)
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

/** The spans as HTML: plain text is escaped by the template, matches wrapped in <mark>. */
export function highlightHtml(text: string, words: string[]) {
  return highlightSpans(text, words).map((s) => (s.mark ? html`<mark>${s.text}</mark>` : s.text))
}

/** The same as a JSX component, for pages written in JSX. */
export function Highlight(props: { text: string; words: string[] }) {
  return html`${highlightHtml(props.text, props.words)}`
}
