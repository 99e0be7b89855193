// Recurring words of a set of mentions: what the overview's "recurring words in negative mentions"
// panel, an alert's frequent terms and its chat message show. One word counts once per mention (an
// angry post repeating a word is not a trend); spellings that fold alike ("réseau", "Réseau",
// "reseau") are one word, shown as most mentions write it; French and English stop words, numbers
// and the brand's own terms are left out.

import { fold, WORD } from './text'

// Written folded (no accents): they are compared with folded words.
const STOP = new Set(
  (
    'the and but for with are was were been its this that these those you she they your our ' +
    'their them not can will would could should have has had does did from about into over ' +
    'after before again more most some any all what which who when where why how there here ' +
    'also get got out off only own same such both each few other one two just very too than ' +
    'then really still people like being doing through while les une des que qui quoi dont ' +
    'cet cette ces mon mes ton tes son ses notre nos votre vos leur leurs elle nous vous ils ' +
    'elles lui pas plus moins tres trop est sont etait etaient etre ete avoir avons avez ont ' +
    'fait faire pour par sur sous dans avec sans chez entre vers aussi encore deja toujours ' +
    'jamais rien tout tous toute toutes comme quand alors bien non oui plusieurs depuis meme ' +
    'fois peu cela ceci donc car mais quel quelle apres avant ceux celle personne vraiment ' +
    'juste sera suis etes sommes etais avais avait vais vas va allons allez vont peut peux ' +
    'veut veux dois doit aux moi toi soi ici voila ever even much many now yet because since ' +
    'until http https www com'
  ).split(' '),
)

export interface Term {
  term: string
  /** mentions using it */
  n: number
}

export function frequentTerms(
  texts: Iterable<string>,
  opts: { exclude?: string[]; limit?: number; minLength?: number; minMentions?: number } = {},
): Term[] {
  const minLength = opts.minLength ?? 3
  const skip = new Set((opts.exclude ?? []).flatMap((e) => fold(e).match(WORD) ?? []))
  const mentions = new Map<string, number>()
  // per folded word, how many mentions use each spelling (lower-cased)
  const spellings = new Map<string, Map<string, number>>()
  // lower-cased word → its folded key, or null when left out (words repeat: fold each once)
  const keys = new Map<string, string | null>()
  for (const text of texts) {
    const seen = new Set<string>()
    for (const raw of text.match(WORD) ?? []) {
      const word = raw.toLowerCase()
      let key = keys.get(word)
      if (key === undefined) {
        const k = fold(word)
        key = k.length < minLength || /^\d+$/.test(k) || STOP.has(k) || skip.has(k) ? null : k
        keys.set(word, key)
      }
      if (key === null || seen.has(key)) continue
      seen.add(key)
      mentions.set(key, (mentions.get(key) ?? 0) + 1)
      let s = spellings.get(key)
      if (!s) spellings.set(key, (s = new Map()))
      s.set(word, (s.get(word) ?? 0) + 1)
    }
  }
  const shown = (key: string) =>
    [...spellings.get(key)!].sort((a, b) => b[1] - a[1] || b[0].localeCompare(a[0]))[0][0]
  return [...mentions]
    .filter(([, n]) => n >= (opts.minMentions ?? 2))
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, opts.limit ?? 12)
    .map(([key, n]) => ({ term: shown(key), n }))
}
