// English scorer: wink-sentiment's own data (AFINN-165 words and two-word idioms, emoji,
// emoticons, negations) run through the shared rule engine, which adds what wink's scorer
// lacks: phrases of any length, per-brand vocabulary, graded negation, boosters, contrast
// ("but"), all-caps and "!" emphasis. wink-sentiment's scoring function itself is kept as the
// measured baseline (see winkBaseline).

import { createRequire } from 'node:module'
import {
  addPhrase,
  compileEntries,
  packTokens,
  scoreTokens,
  type CompiledVocabulary,
  type LangPack,
} from './engine'
import { AFINN_TO_VADER, SYMBOLS } from './emoji'
import type { Token } from './text'
import { EN_COMPLAINTS } from './vocab-en'

const require = createRequire(import.meta.url)
const afinn = require('wink-sentiment/src/afinn-en-165.js') as Record<string, number>
const afinn2 = require('wink-sentiment/src/afinn-en-165-2grams.js') as Record<
  string,
  Record<string, number>
>
const winkNegations = require('wink-sentiment/src/negations.js') as Record<string, boolean>
const winkSentiment = require('wink-sentiment') as (text: string) => {
  score: number
  normalizedScore: number
}

/** Plain wink-sentiment, for BEFORE figures: its normalised score divided by 5. */
export function winkBaseline(text: string): number {
  return winkSentiment(text).normalizedScore / 5
}

/** "didn't" -> "did" + "n't", so that one negator entry covers every contraction. */
export function splitContraction(tok: Token): Token[] | null {
  if (!tok.w.endsWith("n't") || tok.w.length < 4) return null
  const cut = tok.raw.length - 3
  return [
    { w: tok.w.slice(0, -3), raw: tok.raw.slice(0, cut), kind: 'word' },
    { w: "n't", raw: tok.raw.slice(cut), kind: 'word' },
  ]
}

/** "annoying" -> "annoy", "failed" -> "fail", "loves" -> "love": AFINN lists few inflections. */
export function englishBaseForms(w: string): string[] {
  const out: string[] = []
  if (w.endsWith('ies')) out.push(w.slice(0, -3) + 'y')
  if (w.endsWith('es')) out.push(w.slice(0, -2))
  if (w.endsWith('s') && !w.endsWith('ss')) out.push(w.slice(0, -1))
  if (w.endsWith('ed')) out.push(w.slice(0, -2), w.slice(0, -1))
  if (w.endsWith('ing')) out.push(w.slice(0, -3), w.slice(0, -3) + 'e')
  if (w.endsWith('ly')) out.push(w.slice(0, -2))
  return out
}

const NEGATORS = [
  ...Object.keys(winkNegations),
  "n't",
  'nothing',
  'nobody',
  'neither',
  'nor',
  'without',
  'cannot',
  'hardly',
  'doesnt',
  'didnt',
  'wasnt',
  'werent',
  'havent',
  'hasnt',
  'aint',
]

// VADER's booster list and increment.
const B = 0.293
const INTENSIFIERS =
  'absolutely amazingly awfully completely considerably decidedly deeply effing enormously ' +
  'entirely especially exceptionally extremely fabulously flipping freaking fricking frigging ' +
  'fully fucking greatly hella highly hugely incredibly intensely majorly more most ' +
  'particularly purely quite really remarkably so substantially thoroughly totally ' +
  'tremendously uber unbelievably unusually utterly very too'
const DIMINISHERS =
  'almost barely hardly kinda kindof less little marginally occasionally partly scarcely ' +
  'slightly somewhat sorta sortof'

const CONTRAST = ['but', 'however', 'although', 'though', 'yet', 'nevertheless']

/**
 * AFINN entries dropped because the word's most frequent use is grammatical, not evaluative
 * (same rule as the French lexicon's homograph list): "like" as preposition or discourse
 * marker, "kind of", "pretty much", "please" as politeness formula, "no"/"yes" as answers
 * ("no" stays a negator), "top" as position, "god" as exclamation, "want" as plain desire;
 * "work" as the noun (AFINN rates it +3; "it works" keeps its entry); and, for brand
 * mentions, "support"/"help", which mostly name the customer-service desk.
 */
export const EN_FUNCTIONAL = new Set([
  'like',
  'kind',
  'pretty',
  'support',
  'help',
  'work',
  'please',
  'want',
  'no',
  'yes',
  'top',
  'god',
])

function buildPack(): LangPack {
  const boosters = new Map<string, number>()
  for (const w of INTENSIFIERS.split(' ')) boosters.set(w, B)
  for (const w of DIMINISHERS.split(' ')) boosters.set(w, -B)
  const pack: LangPack = {
    words: new Map(),
    phrases: new Map(),
    symbols: new Map(SYMBOLS),
    negators: new Set(NEGATORS),
    postNegators: new Set(),
    noNegate: new Set(),
    boosters,
    contrast: new Set(CONTRAST),
    splitWord: splitContraction,
    baseForms: englishBaseForms,
    alpha: 15,
    negationWindow: 3,
  }
  for (const [w, v] of Object.entries(afinn)) {
    const words = w.split(/\s+/)
    if (EN_FUNCTIONAL.has(w)) continue
    if (words.length === 1) pack.words.set(w, v * AFINN_TO_VADER)
    else addPhrase(pack.phrases, words, v * AFINN_TO_VADER)
  }
  for (const [first, rest] of Object.entries(afinn2)) {
    for (const [second, v] of Object.entries(rest))
      addPhrase(pack.phrases, [first, second], v * AFINN_TO_VADER)
  }
  compileEntries(pack, EN_COMPLAINTS, { words: pack.words, phrases: pack.phrases })
  // Boosters and negators act on their neighbours; a valence of their own would count twice
  // ("vraiment" +, "sans" -) - VADER keeps them out of its lexicon for the same reason.
  for (const w of [...pack.boosters.keys(), ...pack.negators]) pack.words.delete(w)
  return pack
}

export const EN_PACK: LangPack = buildPack()

/** English score in [-1, 1] (unrounded). */
export function scoreEnglish(text: string, vocab?: CompiledVocabulary): number {
  return scoreTokens(EN_PACK, packTokens(EN_PACK, text), vocab).score
}
