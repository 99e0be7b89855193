// Text folding shared by matching, exclusion and search: case-, accent- and ligature-insensitive
// word tokens, so "societe generale" meets "Société Générale" and "Œuvre" meets "oeuvre".
// Hot path of ingestion: Latin letters fold through a table built once; only other scripts pay
// for Unicode normalization.

const LIGATURES: Record<string, string> = {
  œ: 'oe',
  æ: 'ae',
  ß: 'ss',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ı: 'i',
  ŀ: 'l',
  ħ: 'h',
  ŧ: 't',
}

/** Folded form of every lower-case character from U+00C0 to U+024F (Latin-1 and Latin Extended). */
const LATIN: Record<string, string> = {}
for (let code = 0xc0; code <= 0x24f; code++) {
  const ch = String.fromCharCode(code).toLowerCase()
  LATIN[ch] = LIGATURES[ch] ?? ch.normalize('NFD').replace(/\p{M}+/gu, '')
}

const NON_ASCII = /[^\x00-\x7f]/
const LATIN_CHARS = /[\u00c0-\u024f]/g
const BEYOND_LATIN = /[^\x00-\u024f]/

/** Lower-cases, strips diacritics, expands ligatures and compatibility forms (full width). */
export function fold(s: string): string {
  let out = s.toLowerCase()
  if (!NON_ASCII.test(out)) return out
  out = out.replace(LATIN_CHARS, (c) => LATIN[c] ?? c)
  // NFKD beyond Latin: accents off, and compatibility forms too (full-width "ＡＣＭＥ", "ﬁ")
  if (BEYOND_LATIN.test(out))
    out = out
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
  return out
}

/** Letters and digits: punctuation, #, @ and apostrophes separate words. */
export const WORD = /[\p{L}\p{N}]+/gu

/** Folded word tokens in order; punctuation, #, @ and apostrophes separate words. */
export function tokenize(s: string): string[] {
  return fold(s).match(WORD) ?? []
}

/**
 * Items grouped by wording (case, accents and punctuation aside), in the order of each wording's
 * first item, with how many items share it: a complaint copied by forty accounts is one entry.
 */
export function byWording<T>(items: T[], text: (item: T) => string): { item: T; copies: number }[] {
  const groups = new Map<string, { item: T; copies: number }>()
  for (const item of items) {
    const key = tokenize(text(item)).join(' ')
    const seen = groups.get(key)
    if (seen) seen.copies++
    else groups.set(key, { item, copies: 1 })
  }
  return [...groups.values()]
}

/**
 * The feed's search box: words to find (all of them, anywhere in the mention) and words to leave
 * out, written with a leading minus as in the brand queries and every search engine ("panne
 * -réseau").
 */
export function searchWords(q: string): { include: string[]; exclude: string[] } {
  const include: string[] = []
  const exclude: string[] = []
  const text = q.normalize('NFC')
  for (const m of text.matchAll(/(-?)([\p{L}\p{N}][\p{L}\p{N}'’_-]*)/gu)) {
    // a minus counts where a word starts ("-réseau", "(-réseau"), not inside one ("Coca-Cola")
    const minus = m[1] === '-' && (m.index === 0 || /[\s("«“]/.test(text[m.index - 1]))
    ;(minus ? exclude : include).push(m[2])
  }
  return { include, exclude }
}

/**
 * A name typed by a person (a brand, an assignee) as one clean line: control characters, tabs,
 * line breaks and bidirectional overrides become spaces, runs of spaces one. Such characters only
 * ever arrive by mistake or to make a name display other than it reads.
 */
export function oneLine(s: string): string {
  return s
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

/**
 * &, < and > as entities: text put inside markup that would read them — XML, HTML, Slack's mrkdwn
 * (where they delimit links and mentions) and Google Chat's cards.
 */
export function escapeMarkup(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
