// Behaviour of the sentiment scorers, rule by rule, in French and English.

import { describe, expect, it } from 'vitest'
import type { Lang } from '../../server/language'
import { labelFor, scoreSentiment, type SentimentLabel } from '../../server/sentiment'

const s = (text: string, lang: Lang, opts?: Parameters<typeof scoreSentiment>[2]) =>
  scoreSentiment(text, lang, opts)

describe('labels and interface', () => {
  it.each([
    [0, 'neutral'],
    [0.9, 'positive'],
    [-0.9, 'negative'],
    [0.1, 'neutral'],
  ] as [number, SentimentLabel][])('labelFor(%s) = %s', (score, label) => {
    expect(labelFor(score)).toBe(label)
  })

  it.each([
    ['Le service est excellent', 'fr'],
    ["C'est une arnaque", 'fr'],
    ['Great service', 'en'],
    ['What a scam', 'en'],
    ['', 'fr'],
  ] as [string, Lang][])('score of %j is in [-1, 1] with 3 decimals and labelFor', (text, lang) => {
    const r = s(text, lang)
    expect(r.score).toBeGreaterThanOrEqual(-1)
    expect(r.score).toBeLessThanOrEqual(1)
    expect(Math.round(r.score * 1000) / 1000).toBe(r.score)
    expect(r.label).toBe(labelFor(r.score))
    expect(r.scored).toBe(true)
  })

  it('other languages are neutral and unscored, never guessed', () => {
    expect(s('Este producto es una estafa', 'other')).toEqual({
      score: 0,
      label: 'neutral',
      scored: false,
    })
  })

  it('plain statements are neutral in both languages', () => {
    expect(s('Je suis sur le quai de la gare', 'fr').label).toBe('neutral')
    expect(s('The meeting is on Tuesday at the office', 'en').label).toBe('neutral')
  })
})

// [language, base text, variant, expectation on score(variant) vs score(base)]
type Rel = 'flips' | 'stronger' | 'weaker'
const pairs: [string, Lang, string, string, Rel][] = [
  // negation
  ['negation ne...pas', 'fr', 'Le service est bon', "Le service n'est pas bon", 'flips'],
  ['negation pas (informal)', 'fr', 'Le service est bon', 'Le service est pas bon', 'flips'],
  [
    "negation after verb (j'aime pas)",
    'fr',
    "J'aime cette appli",
    "J'aime pas cette appli",
    'flips',
  ],
  ['negation jamais', 'fr', 'Je suis satisfait', 'Je ne suis jamais satisfait', 'flips'],
  ['negation sans', 'fr', 'Un problème', 'Sans problème', 'flips'],
  ['negation not', 'en', 'The app is good', 'The app is not good', 'flips'],
  ["negation n't", 'en', 'I love it', "I don't love it", 'flips'],
  ['negation never', 'en', 'I was happy with them', 'I was never happy with them', 'flips'],
  // intensifiers and diminishers
  ['intensifier très', 'fr', 'Livraison rapide', 'Livraison très rapide', 'stronger'],
  ['intensifier vraiment', 'fr', "C'est nul", "C'est vraiment nul", 'stronger'],
  ['diminisher un peu', 'fr', 'Livraison lente', 'Livraison un peu lente', 'weaker'],
  ['intensifier very', 'en', 'The staff was helpful', 'The staff was very helpful', 'stronger'],
  ['diminisher slightly', 'en', 'I am disappointed', 'I am slightly disappointed', 'weaker'],
  // emphasis
  ['all caps', 'fr', "Franchement c'est nul", "Franchement c'est NUL", 'stronger'],
  ['exclamation', 'fr', "C'est génial", "C'est génial !!!", 'stronger'],
  ['all caps', 'en', 'This is terrible', 'This is TERRIBLE', 'stronger'],
  ['exclamation', 'en', 'This is great', 'This is great!!!', 'stronger'],
  ['stretched word', 'en', 'I love it', 'I loooove it', 'stronger'],
  // emoji and emoticons add to the words
  ['emoji', 'fr', 'Encore une panne', 'Encore une panne 😡', 'stronger'],
  ['emoticon', 'fr', 'Super appli', 'Super appli :)', 'stronger'],
  ['emoji', 'en', 'Great app', 'Great app 😍', 'stronger'],
  ['emoticon', 'en', 'Bad service', 'Bad service :(', 'stronger'],
]

describe.each(pairs)('%s (%s)', (_rule, lang, base, variant, rel) => {
  it(`${JSON.stringify(base)} -> ${JSON.stringify(variant)}: ${rel}`, () => {
    const a = s(base, lang).score
    const b = s(variant, lang).score
    expect(a).not.toBe(0)
    if (rel === 'flips') expect(Math.sign(b)).toBe(-Math.sign(a))
    if (rel === 'stronger') expect(Math.abs(b)).toBeGreaterThan(Math.abs(a))
    if (rel === 'weaker') expect(Math.abs(b)).toBeLessThan(Math.abs(a))
    if (rel !== 'flips') expect(Math.sign(b)).toBe(Math.sign(a))
  })
})

describe('elision (French)', () => {
  it.each([
    ["L'appli est géniale", 'positive'],
    ["Qu'est-ce que c'est nul", 'negative'],
    ["J'adore", 'positive'],
    ['C’est nul', 'negative'], // typographic apostrophe
    ["n'importe quoi", 'negative'], // phrase starting with an elided word
  ] as [string, SentimentLabel][])('%s -> %s', (text, label) => {
    expect(s(text, 'fr').label).toBe(label)
  })
})

describe('a change says nothing until its object does (French)', () => {
  it.each([
    ['Orange augmente ses tarifs, les abonnés mécontents', 'negative'],
    ['Hausse des prix chez Orange', 'negative'],
    ['Orange augmente le débit de la fibre', 'neutral'],
    ['Le nombre d’abonnés a augmenté', 'neutral'],
  ] as [string, SentimentLabel][])('%s -> %s', (text, label) => {
    expect(s(text, 'fr').label).toBe(label)
  })
})

describe('contrast: the clause after mais/but weighs more', () => {
  it.each([
    ['fr', 'Le produit est bien mais le service client est nul', 'negative'],
    ['fr', 'Le service client est lent mais le produit est excellent', 'positive'],
    ['en', 'Nice design but the battery is terrible', 'negative'],
    ['en', 'The support is terrible but the product is great', 'positive'],
  ] as [Lang, string, SentimentLabel][])('%s: %s -> %s', (lang, text, label) => {
    expect(s(text, lang).label).toBe(label)
  })
})

describe('complaint vocabulary', () => {
  it.each([
    ['fr', "C'est une arnaque"],
    ['fr', 'Toujours pas de remboursement'],
    ['fr', 'Encore une panne'],
    ['fr', 'Service client injoignable'],
    ['fr', 'Honteux, inadmissible'],
    ['fr', 'Quel scandale'],
    ['fr', "L'appli a un bug"],
    ['fr', 'Le site est lent'],
    ['fr', 'La box ne fonctionne plus'],
    ['fr', 'Trop cher pour ce que c’est'],
    ['en', 'Total scam'],
    ['en', 'Still waiting for my refund'],
    ['en', 'Another outage today'],
    ['en', 'The app keeps crashing'],
    ['en', 'My order is not working'],
    ['en', 'Customer service unreachable'],
  ] as [Lang, string][])('%s: %s is negative', (lang, text) => {
    expect(s(text, lang).label).toBe('negative')
  })

  it('service client / customer service alone is neutral', () => {
    expect(s('Le service client', 'fr').score).toBe(0)
    expect(s('customer support', 'en').score).toBe(0)
  })
})

describe('lexicon cleaning (translation noise)', () => {
  it.each([
    'Je suis sur le quai', // "sûr" +0.4 folded to "sur"
    'Le prix du billet', // "prix" from "prize"
    'Une fois par semaine', // "fois" from "times"
    'Juste une question', // "juste" from "fair"
    'Les frais de port', // "frais" from "fresh"
  ])('%s is neutral', (text) => {
    expect(s(text, 'fr').score).toBe(0)
  })
})

describe('per-brand vocabulary', () => {
  const skate = { sick: 3, 'ride hard': 2.5, 'de ouf': 3 }
  it.each([
    ['en', 'This board is sick'],
    ['fr', 'Cette planche est sick'],
    ['en', 'These wheels ride hard'],
    ['fr', 'Une planche de ouf'],
  ] as [Lang, string][])('%s: %s is positive with the brand vocabulary', (lang, text) => {
    expect(s(text, lang, { vocabulary: skate }).label).toBe('positive')
  })

  it('overrides the lexicon (without it "sick" is negative)', () => {
    expect(s('This board is sick', 'en').label).toBe('negative')
  })

  it('is negated like any other word', () => {
    expect(s('This board is not sick', 'en', { vocabulary: skate }).score).toBeLessThan(0)
    expect(s("La planche n'est pas sick", 'fr', { vocabulary: skate }).score).toBeLessThan(0)
  })

  it('can neutralise a term for a brand', () => {
    // A brand called "Orange": its name must not carry valence.
    expect(s('Orange', 'fr', { vocabulary: { orange: 0 } }).score).toBe(0)
    expect(s('Killer app', 'en', { vocabulary: { killer: 2 } }).label).toBe('positive')
  })
})

describe('rating hint', () => {
  it.each([
    [1, 'negative'],
    [2, 'negative'],
    [3, 'neutral'],
    [4, 'positive'],
    [5, 'positive'],
  ] as [number, SentimentLabel][])('neutral text with %s stars -> %s', (stars, label) => {
    expect(s('Application téléchargée hier', 'fr', { ratingHint: stars }).label).toBe(label)
    expect(s('Downloaded the app yesterday', 'en', { ratingHint: stars }).label).toBe(label)
  })

  it('blends with the text rather than replacing it', () => {
    const text = s("C'est excellent, je recommande", 'fr').score
    const blended = s("C'est excellent, je recommande", 'fr', { ratingHint: 1 }).score
    expect(blended).toBeLessThan(text)
    expect(blended).toBeGreaterThan(-0.5)
  })

  it('ignores out-of-range and invalid ratings safely', () => {
    expect(s('Ok', 'en', { ratingHint: 9 }).score).toBe(s('Ok', 'en', { ratingHint: 5 }).score)
    expect(s('Ok', 'en', { ratingHint: Number.NaN }).score).toBe(s('Ok', 'en').score)
  })
})
