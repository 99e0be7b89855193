// French scorer: the cleaned French VADER lexicon plus hand-written core and complaint
// vocabulary, run through the shared rule engine with French negation, elision, boosters
// and contrast words.

import {
  compileEntries,
  scoreTokens,
  packTokens,
  type CompiledVocabulary,
  type LangPack,
} from './engine'
import { SYMBOLS } from './emoji'
import { loadFrenchLexicon, loadNoNegate } from './lexicon-clean'
import type { Token } from './text'
import { FR_COMPLAINTS, FR_CORE } from './vocab-fr'

// Elided articles/pronouns/conjunctions: "l'appli", "n'est", "qu'il", "jusqu'à".
const ELISION = /^(l|j|qu|d|n|c|s|m|t|jusqu|lorsqu|puisqu|quoiqu)'(.+)$/

/** Splits "n'est" into "n" + "est" so that negation and look-ups see both words. */
export function splitElision(tok: Token): Token[] | null {
  const m = ELISION.exec(tok.w)
  if (!m) return null
  const cut = tok.raw.length - m[2].length
  return [
    { w: m[1], raw: tok.raw.slice(0, cut - 1), kind: 'word' },
    { w: m[2], raw: tok.raw.slice(cut), kind: 'word' },
  ]
}

// "ne"/"n'" covers "ne ... pas/plus/jamais/rien" (the verb sits between); "pas", "jamais",
// "rien", "aucun", "sans", "ni" also negate on their own in informal writing.
const NEGATORS = ['ne', 'n', 'pas', 'jamais', 'rien', 'aucun', 'aucune', 'sans', 'ni', 'guere']
const POST_NEGATORS = ['pas', 'jamais', 'rien', 'guere']

// VADER's booster increment (0.293) for intensifiers, its negative for diminishers.
const B = 0.293
const BOOSTERS: Record<string, number> = {
  tres: B,
  trop: B,
  vraiment: B,
  tellement: B,
  hyper: B,
  ultra: B,
  extremement: B,
  totalement: B,
  completement: B,
  absolument: B,
  vachement: B,
  carrement: B,
  si: B,
  plutot: -B,
  peu: -B,
  legerement: -B,
  presque: -B,
  moyennement: -B,
  assez: -B / 2,
}

/** Plural and feminine endings: "décevantes" -> "décevante"/"décevant". */
export function frenchBaseForms(w: string): string[] {
  const out: string[] = []
  if (w.endsWith('s') || w.endsWith('x')) out.push(w.slice(0, -1))
  if (w.endsWith('es')) out.push(w.slice(0, -2))
  else if (w.endsWith('e')) out.push(w.slice(0, -1))
  return out
}

const CONTRAST = ['mais', 'cependant', 'pourtant', 'neanmoins', 'toutefois']

function buildPack(): LangPack {
  const { words: lexicon, symbols: frSymbols } = loadFrenchLexicon()
  const pack: LangPack = {
    words: new Map(),
    phrases: new Map(),
    symbols: new Map([...frSymbols, ...SYMBOLS]),
    negators: new Set(NEGATORS),
    postNegators: new Set(POST_NEGATORS),
    noNegate: loadNoNegate(),
    boosters: new Map(Object.entries(BOOSTERS)),
    contrast: new Set(CONTRAST),
    splitWord: splitElision,
    baseForms: frenchBaseForms,
    alpha: 15,
    negationWindow: 4,
  }
  const compiled: CompiledVocabulary = { words: pack.words, phrases: pack.phrases }
  // Later layers override earlier ones: lexicon < core < complaints.
  compileEntries(pack, Object.fromEntries(lexicon), compiled)
  compileEntries(pack, FR_CORE, compiled)
  compileEntries(pack, FR_COMPLAINTS, compiled)
  // Boosters and negators act on their neighbours; a valence of their own would count twice
  // ("vraiment" +, "sans" -) - VADER keeps them out of its lexicon for the same reason.
  for (const w of [...pack.boosters.keys(), ...pack.negators]) pack.words.delete(w)
  return pack
}

export const FR_PACK: LangPack = buildPack()

/** French score in [-1, 1] (unrounded). */
export function scoreFrench(text: string, vocab?: CompiledVocabulary): number {
  return scoreTokens(FR_PACK, packTokens(FR_PACK, text), vocab).score
}
