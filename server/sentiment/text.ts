// Text normalisation and tokenisation shared by the French and English scorers.
// One pass over the raw text yields tokens that keep both the folded form (for lexicon
// look-ups) and the raw form (for all-caps emphasis).

export type TokenKind = 'word' | 'emoji' | 'emoticon' | 'bang' | 'question' | 'sep'

export interface Token {
  /** Folded form: lower case, accents stripped, typographic apostrophes normalised. */
  w: string
  /** Raw surface form, as written. */
  raw: string
  kind: TokenKind
}

/** Lower-case and strip diacritics, so "Très" and "tres" (common on phones) look alike. */
export function fold(s: string): string {
  const lower = s.toLowerCase()
  // Fast path: pure ASCII needs no decomposition.
  // eslint-disable-next-line no-control-regex
  if (/^[\x00-\x7f]*$/.test(lower)) return lower
  return lower
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[’‘`´]/g, "'")
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
}

// URLs, @mentions and the "RT" marker carry no sentiment and confuse language detection.
const NOISE = /https?:\/\/\S+|www\.\S+|@\w+|\bRT\b/g

/** Removes URLs, @mentions and retweet markers; keeps hashtag words (the '#' is dropped). */
export function stripNoise(text: string): string {
  return text.replace(NOISE, ' ').replace(/#(?=[\p{L}\p{N}])/gu, ' ')
}

// One alternation, tried left to right at each position:
//  1. emoticons written with ASCII punctuation (":)", ":-(", "<3", "xD" ...); the look-ahead
//     keeps "xD" from matching inside words;
//  2. emoji (pictographs, flags, keycaps), with optional variation selector / skin tone;
//  3. words: letters/digits with inner apostrophes or hyphens ("aujourd'hui", "don't");
//  4. runs of "!" or "?" (emphasis), and clause separators.
const TOKEN_RE = new RegExp(
  [
    String.raw`(?<emoticon>(?:[<>]?[:;=8xX][\-o\*']?[\)\]\(\[dDpP\/\\:\}\{@\|3]+|<\/?3+|[\)\(\]\[][\-']?[:;=])(?![\p{L}\p{N}]))`,
    String.raw`(?<emoji>\p{Extended_Pictographic}[\u{FE0F}\u{1F3FB}-\u{1F3FF}\u{200D}\p{Extended_Pictographic}]*|\p{Regional_Indicator}{2})`,
    String.raw`(?<word>[\p{L}\p{N}]+(?:['’\-][\p{L}\p{N}]+)*)`,
    String.raw`(?<bang>!+)`,
    String.raw`(?<question>\?+)`,
    String.raw`(?<sep>[.,;:…\u2013\u2014()"«»]+)`,
  ].join('|'),
  'gu',
)

/** Tokenises a text after noise removal. Pure; allocation is one object per token. */
export function tokenize(text: string): Token[] {
  const out: Token[] = []
  const clean = stripNoise(text)
  TOKEN_RE.lastIndex = 0
  for (let m = TOKEN_RE.exec(clean); m !== null; m = TOKEN_RE.exec(clean)) {
    const g = m.groups!
    const raw = m[0]
    if (g.word !== undefined) out.push({ w: fold(raw), raw, kind: 'word' })
    else if (g.emoticon !== undefined) out.push({ w: raw, raw, kind: 'emoticon' })
    else if (g.emoji !== undefined)
      out.push({ w: raw.replace(/\u{FE0F}/gu, ''), raw, kind: 'emoji' })
    else if (g.bang !== undefined) out.push({ w: '!', raw, kind: 'bang' })
    else if (g.question !== undefined) out.push({ w: '?', raw, kind: 'question' })
    else out.push({ w: raw, raw, kind: 'sep' })
  }
  return out
}

/** True when a raw word is written in capitals (at least two letters, no lower case). */
export function isShouted(raw: string): boolean {
  if (raw.length < 2) return false
  let letters = 0
  for (const ch of raw) {
    if (ch !== ch.toUpperCase()) return false
    if (ch !== ch.toLowerCase()) letters++
  }
  return letters >= 2
}

/** "loooove" -> "love"/"loove": tweets stretch words for emphasis; lexicons list the plain form. */
export function unstretch(w: string): string[] | null {
  if (!/(\p{L})\1\1/u.test(w)) return null
  return [w.replace(/(\p{L})\1{2,}/gu, '$1'), w.replace(/(\p{L})\1{2,}/gu, '$1$1')]
}
