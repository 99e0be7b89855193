// Recurring words of a set of mentions: what the overview's "recurring words in negative mentions"
// panel, an alert's frequent terms and its chat message show. One word counts once per mention (an
// angry post repeating a word is not a trend); spellings that fold alike ("réseau", "Réseau",
// "reseau") are one word, shown as most mentions write it, capitals included ("Genève", "SNCF",
// "panne": a capital that only opens a sentence counts as lower case); French and English stop words,
// numbers and the brand's own terms are left out. Function words only: "down", "panne", "bug" or
// "remboursement" are what an incident is about, so they stay.

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
    'may might going gonna wanna don didn doesn isn wasn aren haven hasn couldn wouldn ' +
    'shouldn his him her hers himself herself itself ours theirs think see make made want said ' +
    'say says take know well lol way actually every thing things always never need needs ' +
    'already having look anyone another something anything everyone someone nothing today ' +
    'yes let lets aucun aucune autre autres via comment pourquoi faut font dire dit selon ans ' +
    'ainsi chaque certains certaines quelques beaucoup voici celui celles puis cependant ' +
    'pendant lorsque parce quelque chose sait pouvez peuvent doivent ' +
    'until http https www com'
  ).split(' '),
)

interface Casings {
  /** casings written inside a sentence */
  body: Map<string, number>
  /** casings written at the start of a sentence, a leading capital counted as lower case */
  initial: Map<string, number>
}

/** Whether the word at `index` opens a sentence: the text's start, or after . ! ? … or a line. */
function startsSentence(text: string, index: number): boolean {
  for (let i = index - 1; i >= 0; i--) {
    const ch = text[i]
    if (/[\s"'«»“”‘’(\[*_-]/.test(ch) && ch !== '\n') continue
    return /[.!?…\n]/.test(ch)
  }
  return true
}

export interface Term {
  term: string
  /** mentions using it */
  n: number
}

export interface TermOptions {
  exclude?: string[]
  limit?: number
  minLength?: number
  minMentions?: number
}

/** Frequent terms of mentions: title and text on lines of their own, since the text's first
 * word opens a sentence (its capital says nothing about the word). */
export function mentionTerms(
  mentions: { title: string; text: string }[],
  opts: TermOptions = {},
): Term[] {
  return frequentTerms(
    mentions.map((m) => `${m.title}\n${m.text}`),
    opts,
  )
}

export function frequentTerms(texts: Iterable<string>, opts: TermOptions = {}): Term[] {
  const minLength = opts.minLength ?? 3
  const skip = new Set((opts.exclude ?? []).flatMap((e) => fold(e).match(WORD) ?? []))
  const mentions = new Map<string, number>()
  // per folded word, how many mentions use each spelling (lower-cased): which accents to show
  const spellings = new Map<string, Map<string, number>>()
  // per lower-cased spelling, how many mentions write each casing ("Genève", "genève", "SNCF")
  const casings = new Map<string, Casings>()
  // lower-cased word → its folded key, or null when left out (words repeat: fold each once)
  const keys = new Map<string, string | null>()
  for (const text of texts) {
    // per key, this mention's first spelling and the casing it votes for
    const seen = new Map<string, { word: string; raw: string; initial: boolean }>()
    for (const match of text.matchAll(WORD)) {
      const raw = match[0]
      const word = raw.toLowerCase()
      let key = keys.get(word)
      if (key === undefined) {
        const k = fold(word)
        key = k.length < minLength || /^\d+$/.test(k) || STOP.has(k) || skip.has(k) ? null : k
        keys.set(word, key)
      }
      if (key === null) continue
      const initial = startsSentence(text, match.index)
      const first = seen.get(key)
      // a later use of the same spelling in the body says more about its casing than a capital
      // the sentence start imposed
      if (first) {
        if (first.initial && !initial && first.word === word) Object.assign(first, { raw, initial })
        continue
      }
      seen.set(key, { word, raw, initial })
    }
    for (const [key, { word, raw, initial }] of seen) {
      mentions.set(key, (mentions.get(key) ?? 0) + 1)
      let s = spellings.get(key)
      if (!s) spellings.set(key, (s = new Map()))
      s.set(word, (s.get(word) ?? 0) + 1)
      let c = casings.get(word)
      if (!c) casings.set(word, (c = { body: new Map(), initial: new Map() }))
      // a capital opening a sentence is the sentence's ("Lamentable."): it votes for lower case;
      // other casings keep theirs even there ("SNCF en grève")
      const cased = initial && raw === raw[0] + word.slice(1) ? word : raw
      const votes = initial ? c.initial : c.body
      votes.set(cased, (votes.get(cased) ?? 0) + 1)
    }
  }
  const most = (m: Map<string, number>, tie: (a: string, b: string) => number) =>
    [...m].sort((a, b) => b[1] - a[1] || tie(a[0], b[0]))[0][0]
  // equal votes: lower case, then a leading capital, then the rest (shouted "RÉSEAU")
  const plainness = (w: string) =>
    w === w.toLowerCase() ? 0 : w[0] + w.slice(1).toLowerCase() === w ? 1 : 2
  const shown = (key: string) => {
    const word = most(spellings.get(key)!, (a, b) => b.localeCompare(a))
    const c = casings.get(word)!
    // casings at a sentence start decide only when the word was never written elsewhere
    return most(c.body.size ? c.body : c.initial, (a, b) => plainness(a) - plainness(b))
  }
  return [...mentions]
    .filter(([, n]) => n >= (opts.minMentions ?? 2))
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, opts.limit ?? 12)
    .map(([key, n]) => ({ term: shown(key), n }))
}
