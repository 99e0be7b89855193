// Language identification for mentions, tuned for short texts (tweets, titles).
// eld (n-gram detector) restricted to the languages we expect, so that French and English
// are routed reliably and Spanish, German, ... are recognised as 'other' rather than forced
// into a wrong scorer. Very short texts, where n-grams are weak, are settled by a vote of
// frequent French/English function words.
//
// Texts without any letter (emoji only, numbers, links) are 'other': there is no language
// to identify, and 'other' is never a confident wrong label.

import { eld } from 'eld/medium'
import { fold, stripNoise } from './sentiment/text'

export type Lang = 'fr' | 'en' | 'other'

// fr and en plus the neighbours most often mistaken for them; anything but fr/en -> 'other'.
const SUBSET = ['en', 'fr', 'de', 'es', 'it', 'pt', 'nl']
const detector = eld.newInstance()
detector.setLanguageSubset(SUBSET)

// Very frequent function words and greetings that are near-unambiguous between fr and en.
const FR_MARKERS = new Set(
  (
    'le la les des du un une est et je tu il elle nous vous ils elles pas pour avec sur dans que ' +
    'qui ce cette c j l d n qu merci bonjour salut mais tres trop au aux ne mon ma mes son sa ' +
    'ses vraiment oui non quoi comme bravo bof chez'
  ).split(' '),
)
const EN_MARKERS = new Set(
  (
    'the an is are was and i you he she we they not for with in that this it of to my ' +
    'your thanks thank hello hi but very so what just love yes no be been have has do does'
  ).split(' '),
)

/** Words of at most this many tokens count as "short": eld alone is unreliable there. */
const SHORT_WORDS = 4
/** A fr/en reading within this ratio of eld's top score is close enough to be preferred. */
const CLOSE_RATIO = 0.9

export function detectLanguage(text: string): Lang {
  const clean = stripNoise(text)
  const words = clean.match(/\p{L}[\p{L}'’\-]*/gu)
  if (!words) return 'other'

  let fr = 0
  let en = 0
  for (const raw of words) {
    const w = fold(raw)
    const base = w.includes("'") ? w.slice(0, w.indexOf("'")) : w
    if (FR_MARKERS.has(base)) fr++
    if (EN_MARKERS.has(w)) en++
  }

  const result = detector.detect(clean)
  const lang = result.language
  if (lang === 'fr' || lang === 'en') {
    // On a few words, a clear function-word vote overrides a weak n-gram verdict.
    if (words.length <= SHORT_WORDS) {
      if (lang === 'en' && fr > en) return 'fr'
      if (lang === 'fr' && en > fr) return 'en'
    }
    return lang
  }

  // eld found nothing, or another language: accept fr/en only with function-word evidence
  // and an n-gram score close to the winner's.
  if (fr === en) return 'other'
  const pick: Lang = fr > en ? 'fr' : 'en'
  if (lang === '') return pick
  const scores = result.getScores()
  const top = scores[lang] ?? 0
  const mine = scores[pick] ?? 0
  return mine >= CLOSE_RATIO * top ? pick : 'other'
}
