// Loading and cleaning of the French VADER lexicon (machine-translated from English VADER,
// so it carries translation noise). The cleaning is rule-based and documented here; nothing
// in it was fitted to evaluation texts.
//
// Rules, applied in order:
//  1. Fold keys (lower case, accents stripped) like the tokeniser does; entries that fold to
//     the same key ("sûr", "sur") are merged by averaging.
//  2. Drop entries whose folded key is a French function word (articles, prepositions,
//     pronouns, conjunctions, auxiliaries, quantity/time adverbs). These are closed-class
//     words with no polarity; they only got one through folding or translation
//     ("sûr" +0.4 became "sur"; "sous" +0.2; "fois" -1.0 from "times").
//  3. Drop single-letter entries ("s" +0.8, "v" -2.4): in French tweets these are elision
//     leftovers or abbreviations, not the English emoticon-like tokens they came from.
//  4. Drop translation homographs: frequent French words whose everyday sense is neutral but
//     which inherited the polarity of the English word they translated (e.g. "prix" +2.3
//     from "prize" but mostly means "price"; "juste" +1.3 from "fair" but mostly means "just";
//     "frais" +1.3 from "fresh" but means "fees" in customer talk). The list was built by
//     reading the lexicon, not from labelled data.
//  5. Entries with |valence| < MIN_ABS are dropped: at that strength the translated valence is
//     within the annotators' noise and mostly drags neutral texts off zero.

import { readFileSync } from 'node:fs'
import { fold } from './text'

export const FRENCH_FUNCTION_WORDS = new Set(
  (
    'a au aux avec ce ces cet cette ceci cela ca celle celles celui ceux chez comme dans de des du ' +
    'elle elles en entre et eux il ils je la le les leur leurs lui ma me mes moi mon ne ni nos notre ' +
    'nous on ou par pas pour qu que quel quelle qui quoi sa se ses si son sur sous ta te tes toi ton ' +
    'tu un une vos votre vous y est sont etre ete etait avoir ai as avons avez ont avait fait faire ' +
    'fois tres trop plus moins peu tout tous toute toutes rien aucun aucune autre autres meme aussi ' +
    'alors donc car mais puis encore deja toujours jamais ici la-bas apres avant pendant depuis vers ' +
    'selon contre sans parce lorsque quand comment pourquoi ou dont lequel laquelle voici voila'
  ).split(' '),
)

/** Translation homographs (rule 4), with the English sense the valence came from. */
export const TRANSLATION_HOMOGRAPHS = new Set([
  'prix', // prize -> price
  'part', // share -> part/share of
  'mode', // fashion (positive) -> mode/way
  'fort', // strong -> also "loud", "very"
  'forte',
  'net', // neat -> net (amount)
  'mine', // mine -> face/look, mine
  'mines',
  'fit', // fit -> "did" (passé simple of faire)
  'plu', // pleased -> rained (il a plu)
  'plue',
  'plues',
  'joue', // plays -> cheek
  'joues',
  'juste', // fair -> just/only
  'frais', // fresh -> fees, costs
  'source', // source of joy -> source
  'souris', // smile -> mouse
  'ordre', // order (orderly) -> order (command, purchase)
  'forme', // in shape -> form/shape
  'force', // strength -> force
  'forces',
  'direct', // direct (frank) -> live (broadcast)
  'accord', // agreement -> chord/agreement (neutral)
  'simple', // simple-minded -> simple (mostly positive or neutral)
  'plante', // crash (plant) -> plant
  'queue', // queue (annoyance) -> tail / queue
  'tapis', // rug -> carpet
  'vision', // vision -> view/sight
  'roman', // romance -> novel
  'empire', // empire -> gets worse (verb) / empire
  'source',
  'chance', // chance (luck) -> luck, weak
  'mince', // mince (darn) -> thin
  'valeur', // value
  'ouvert', // open
  'libre', // free (as in price, in EN lexicon) -> free (liberty)
  // enhance / increase -> "augmente ses prix" read as good news; the direction of a change says
  // nothing until its object does (FR_COMPLAINTS has the price rises)
  'augmentation',
  'augmenter',
  'augmente',
  'augmentee',
  'augmentees',
  'augmentes',
  'libres',
  'clair', // clear
  'claire',
  'gratin',
  'prêt',
  'pret',
  'prete',
  'prets',
  'attend', // waits
  'dieu', // god -> exclamation, neutral
  'cher', // dear -> expensive (re-added with its French sense in the domain vocabulary)
  'chers',
  'chere',
  'cheres',
])

/** Rule 5 threshold. */
export const MIN_ABS = 0.5

export interface RawEntry {
  key: string
  valence: number
}

/** Parses "term->valence" lines. */
export function parseLexicon(text: string): RawEntry[] {
  const out: RawEntry[] = []
  for (const line of text.split('\n')) {
    const at = line.lastIndexOf('->')
    if (at <= 0) continue
    const valence = Number(line.slice(at + 2))
    if (!Number.isFinite(valence)) continue
    out.push({ key: line.slice(0, at).trim(), valence })
  }
  return out
}

/** A lexicon key made of words (possibly several, with apostrophes or hyphens). */
export function isWordKey(key: string): boolean {
  return /^[\p{L}\p{N}'’ \-]+$/u.test(key) && /\p{L}/u.test(key)
}

/**
 * Applies rules 1-5 to word entries (folded key -> valence, keys may contain spaces for
 * phrases); other keys are emoticons, returned verbatim in `symbols`.
 */
export function cleanFrenchLexicon(entries: RawEntry[]): {
  words: Map<string, number>
  symbols: Map<string, number>
} {
  const sums = new Map<string, { total: number; n: number }>()
  const symbols = new Map<string, number>()
  for (const { key, valence } of entries) {
    if (!isWordKey(key)) {
      symbols.set(key, valence)
      continue
    }
    const k = fold(key)
    const s = sums.get(k)
    if (s) {
      s.total += valence
      s.n++
    } else sums.set(k, { total: valence, n: 1 })
  }
  const words = new Map<string, number>()
  for (const [k, { total, n }] of sums) {
    const v = total / n
    if (FRENCH_FUNCTION_WORDS.has(k)) continue
    if (/^\p{L}$/u.test(k)) continue
    if (TRANSLATION_HOMOGRAPHS.has(k)) continue
    if (Math.abs(v) < MIN_ABS) continue
    words.set(k, v)
  }
  return { words, symbols }
}

export function loadFrenchLexicon(): ReturnType<typeof cleanFrenchLexicon> {
  const text = readFileSync(new URL('./lexicon/fr_lexicon.txt', import.meta.url), 'utf8')
  return cleanFrenchLexicon(parseLexicon(text))
}

export function loadNoNegate(): Set<string> {
  const text = readFileSync(new URL('./lexicon/no_negate.txt', import.meta.url), 'utf8')
  return new Set(
    text
      .split('\n')
      .map((l) => fold(l.trim()))
      .filter(Boolean),
  )
}
