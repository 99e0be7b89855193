// Language identification for mentions, tuned for short texts (tweets, titles).
// eld (n-gram detector) restricted to the languages we expect, so that French and English
// are routed reliably and Spanish, German, ... are recognised as 'other' rather than forced
// into a wrong scorer. Short texts, where n-grams are weak, are settled by a vote of
// frequent French/English function words and of the words of our hand-written sentiment
// vocabularies ("merci", "injoignable", "refund").
//
// Decision for texts with no language evidence: no letter at all (emoji only, numbers,
// links), or a word shared by every language ("ok", "lol"), gives 'other' - there is no
// language to identify, and 'other' is never a confident wrong label.

import { eld } from 'eld/medium'
import { fold, stripNoise } from './sentiment/text'
import { EN_COMPLAINTS } from './sentiment/vocab-en'
import { FR_COMPLAINTS, FR_CORE } from './sentiment/vocab-fr'

export type Lang = 'fr' | 'en' | 'other'

// fr and en plus the neighbours most often mistaken for them; anything but fr/en -> 'other'.
const SUBSET = ['en', 'fr', 'de', 'es', 'it', 'pt', 'nl']
const detector = eld.newInstance()
detector.setLanguageSubset(SUBSET)

// Very frequent function words that tell French from English and are not also common words
// of the other languages in the subset (so no "la", "que", "il", "un", "no", "in", "is").
const FR_MARKERS = new Set(
  (
    'le les des du une est et je elle nous vous ils elles pas pour avec sur dans ce cette c j d ' +
    'n qu merci bonjour salut tres trop au aux mon mes ses vraiment oui quoi comme chez'
  ).split(' '),
)
const EN_MARKERS = new Set(
  (
    'the an are and i you he she we they not for with that this it of to my your thanks thank ' +
    'hello hi but very what just love yes be been have has does'
  ).split(' '),
)

// The hand-written sentiment vocabularies are language-specific too ("injoignable",
// "unreachable"): single words found in only one of them add to that language's vote.
function singleWords(...lists: Record<string, number>[]): Set<string> {
  const out = new Set<string>()
  for (const list of lists)
    for (const k of Object.keys(list)) if (!/[\s']/.test(k)) out.add(fold(k))
  return out
}
const FR_VOCAB = singleWords(FR_CORE, FR_COMPLAINTS)
const EN_VOCAB = singleWords(EN_COMPLAINTS)
for (const w of [...FR_VOCAB]) {
  if (EN_VOCAB.has(w)) {
    FR_VOCAB.delete(w)
    EN_VOCAB.delete(w)
  }
}

/** Texts of at most this many words count as "short": eld alone is unreliable there. */
const SHORT_WORDS = 6
/** Words passed to eld: enough for a confident n-gram verdict, bounded for speed. */
const MAX_WORDS = 10
/** A fr/en reading within this ratio of eld's top score is close enough to be preferred. */
const CLOSE_RATIO = 0.9
const SHORT_CLOSE_RATIO = 0.8
/** Scores this close to the top are a tie for eld. */
const TIE_RATIO = 0.98

export function detectLanguage(text: string): Lang {
  const clean = stripNoise(text)
  const words = clean.match(/\p{L}[\p{L}'’\-]*/gu)
  if (!words) return 'other'

  let fr = 0
  let en = 0
  for (const raw of words) {
    const w = fold(raw)
    const base = w.includes("'") ? w.slice(0, w.indexOf("'")) : w
    if (FR_MARKERS.has(base) || FR_VOCAB.has(w)) fr++
    if (EN_MARKERS.has(w) || EN_VOCAB.has(w)) en++
  }

  // eld's cost grows with length and tweets are short: the first words are plenty.
  const result = detector.detect(
    words.length > MAX_WORDS ? words.slice(0, MAX_WORDS).join(' ') : words.join(' '),
  )
  const lang = result.language
  if (lang === 'fr' || lang === 'en') {
    // On a few words, a clear function-word vote overrides a weak n-gram verdict.
    if (words.length <= SHORT_WORDS) {
      if (lang === 'en' && fr > en) return 'fr'
      if (lang === 'fr' && en > fr) return 'en'
    }
    return lang
  }

  // eld found nothing, or another language. Accept fr/en when function words point to it and
  // its n-gram score is close to the winner's (closer required on longer texts), or, on a
  // short text, when eld is at a near tie (brand names in titles blur the n-grams) - our
  // mentions are overwhelmingly fr/en, so a tie goes to them.
  const scores = lang === '' ? {} : result.getScores()
  const top = lang === '' ? 0 : (scores[lang] ?? 0)
  const short = words.length <= SHORT_WORDS
  if (fr !== en) {
    const pick: Lang = fr > en ? 'fr' : 'en'
    // One or two words: the vote is all the evidence there is.
    if (lang === '' || words.length <= 2) return pick
    const ratio = short ? SHORT_CLOSE_RATIO : CLOSE_RATIO
    if ((scores[pick] ?? 0) >= ratio * top) return pick
  }
  if (short && lang !== '') {
    const frScore = scores.fr ?? 0
    const enScore = scores.en ?? 0
    const best: Lang = frScore >= enScore ? 'fr' : 'en'
    if (Math.max(frScore, enScore) >= TIE_RATIO * top) return best
  }
  return 'other'
}
