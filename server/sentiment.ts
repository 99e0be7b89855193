// Sentiment scoring entry point: picks the scorer for a language, applies the per-brand
// vocabulary and the star-rating hint, and maps the score to a label with the single neutral
// band of the product.

import type { Lang } from './language'
import { compileEntries, type CompiledVocabulary } from './sentiment/engine'
import { EN_PACK, scoreEnglish } from './sentiment/en'
import { FR_PACK, scoreFrench } from './sentiment/fr'

export type SentimentLabel = 'positive' | 'neutral' | 'negative'

export interface Sentiment {
  /** In [-1, 1], rounded to 3 decimals. */
  score: number
  label: SentimentLabel
  /** False for 'other' languages: the text was not scored and reads as neutral. */
  scored: boolean
}

export interface ScoreOptions {
  /** Brand terms or phrases -> valence (-4..+4), overriding the lexicon for this brand. */
  vocabulary?: Record<string, number>
  /** Star rating 1..5 (app-store reviews), blended with the text score. */
  ratingHint?: number
}

/**
 * Neutral band: scores in (-NEG_BAND, POS_BAND) are neutral. Chosen on half a of the dev
 * sets, checked on half b (server/cli/eval-sentiment.ts --half). It is asymmetric because
 * everyday language is biased towards positive words (the "Pollyanna" effect): neutral
 * mentions carry mild positives ("fine", "help", "merci"), while a single negative word is
 * already a good sign of a complaint.
 */
export const POS_BAND = 0.25
export const NEG_BAND = 0.05

export function labelFor(score: number): SentimentLabel {
  if (score >= POS_BAND) return 'positive'
  if (score <= -NEG_BAND) return 'negative'
  return 'neutral'
}

/**
 * Weight of the star rating against the text. Stars map linearly to [-1, 1] (3 = 0); at 0.6
 * a neutral text reads 1-2 stars as negative (-0.6, -0.3), 3 as neutral, 4-5 as positive
 * (+0.3, +0.6), while the text still moves the score (glowing words with 1 star end up
 * mildly negative, not as negative as a neutral 1-star review).
 */
export const RATING_WEIGHT = 0.6

// Vocabularies are compiled once per object (brands keep theirs for the process lifetime).
const compiledCache = new WeakMap<object, { fr: CompiledVocabulary; en: CompiledVocabulary }>()

function compiled(vocabulary: Record<string, number>, lang: 'fr' | 'en'): CompiledVocabulary {
  let c = compiledCache.get(vocabulary)
  if (!c) {
    c = { fr: compileEntries(FR_PACK, vocabulary), en: compileEntries(EN_PACK, vocabulary) }
    compiledCache.set(vocabulary, c)
  }
  return c[lang]
}

function round3(x: number): number {
  const r = Math.round(x * 1000) / 1000
  return r === 0 ? 0 : r // no -0
}

export function scoreSentiment(text: string, lang: Lang, opts: ScoreOptions = {}): Sentiment {
  if (lang !== 'fr' && lang !== 'en') return { score: 0, label: 'neutral', scored: false }
  const vocab = opts.vocabulary ? compiled(opts.vocabulary, lang) : undefined
  let score = lang === 'fr' ? scoreFrench(text, vocab) : scoreEnglish(text, vocab)
  const rating = opts.ratingHint
  if (typeof rating === 'number' && Number.isFinite(rating)) {
    const hint = (Math.min(5, Math.max(1, rating)) - 3) / 2
    score = (1 - RATING_WEIGHT) * score + RATING_WEIGHT * hint
  }
  score = round3(Math.max(-1, Math.min(1, score)))
  return { score, label: labelFor(score), scored: true }
}
