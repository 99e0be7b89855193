// Text folding shared by matching, exclusion and search: case-, accent- and ligature-insensitive
// word tokens, so "societe generale" meets "Société Générale" and "Œuvre" meets "oeuvre".

const LIGATURES: Record<string, string> = {
  œ: 'oe',
  æ: 'ae',
  ß: 'ss',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ı: 'i',
}

/** Lower-cases, strips diacritics and expands ligatures. */
export function fold(s: string): string {
  return s
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[œæßøłđı]/g, (c) => LIGATURES[c] ?? c)
}

const WORD = /[\p{L}\p{N}]+/gu

/** Folded word tokens in order; punctuation, #, @ and apostrophes separate words. */
export function tokenize(s: string): string[] {
  return fold(s).match(WORD) ?? []
}
