// Tokenisation, folding and lexicon cleaning underneath the sentiment scorers.

import { describe, expect, it } from 'vitest'
import { FR_PACK, splitElision } from '../../server/sentiment/fr'
import { EN_PACK } from '../../server/sentiment/en'
import { packTokens } from '../../server/sentiment/engine'
import {
  cleanFrenchLexicon,
  FRENCH_FUNCTION_WORDS,
  parseLexicon,
} from '../../server/sentiment/lexicon-clean'
import { fold, isShouted, tokenize, unstretch } from '../../server/sentiment/text'

describe('fold', () => {
  it.each([
    ['Très Déçu', 'tres decu'],
    ['ŒUVRE', 'oeuvre'],
    ['C’est', "c'est"],
    ['plain ascii', 'plain ascii'],
  ])('%s -> %s', (input, out) => {
    expect(fold(input)).toBe(out)
  })
})

describe('tokenize', () => {
  const kinds = (text: string) => tokenize(text).map((t) => `${t.kind}:${t.w}`)

  it('drops urls, mentions and RT, keeps hashtag words', () => {
    expect(kinds('RT @marque Super #produit https://t.co/x')).toEqual([
      'word:super',
      'word:produit',
    ])
  })

  it('recognises emoticons without eating words or times', () => {
    expect(kinds('top :) mais :( et <3')).toEqual([
      'word:top',
      'emoticon::)',
      'word:mais',
      'emoticon::(',
      'word:et',
      'emoticon:<3',
    ])
    expect(kinds('rdv à 10:30')).toEqual(['word:rdv', 'word:a', 'word:10', 'sep::', 'word:30'])
  })

  it('keeps emoji (without variation selector), ! and ? runs, separators', () => {
    expect(kinds('Bravo ❤️ !!! vraiment ?')).toEqual([
      'word:bravo',
      'emoji:❤',
      'bang:!',
      'word:vraiment',
      'question:?',
    ])
    expect(tokenize('!!!')[0].raw).toBe('!!!')
  })
})

describe('elision and contractions', () => {
  it.each([
    ["n'est", ['n', 'est']],
    ["L'appli", ['l', 'appli']],
    ["qu'il", ['qu', 'il']],
    ["jusqu'à", ['jusqu', 'a']],
    ['aujourd’hui', ["aujourd'hui"]], // not an elision: one word
  ])('French %s -> %j', (word, parts) => {
    expect(packTokens(FR_PACK, word).map((t) => t.w)).toEqual(parts)
  })

  it('keeps raw casing on both halves (for all-caps emphasis)', () => {
    const parts = splitElision({ w: "c'est", raw: "C'EST", kind: 'word' })
    expect(parts?.map((t) => t.raw)).toEqual(['C', 'EST'])
  })

  it.each([
    ["don't", ['do', "n't"]],
    ["Isn't", ['is', "n't"]],
    ['cannot', ['cannot']],
  ])('English %s -> %j', (word, parts) => {
    expect(packTokens(EN_PACK, word).map((t) => t.w)).toEqual(parts)
  })
})

describe('emphasis helpers', () => {
  it.each([
    ['NUL', true],
    ['Nul', false],
    ['A', false],
    ['SAV!', true],
    ['42', false],
  ])('isShouted(%s) = %s', (raw, shouted) => {
    expect(isShouted(raw)).toBe(shouted)
  })

  it('unstretch proposes the plain and doubled forms', () => {
    expect(unstretch('loooove')).toEqual(['love', 'loove'])
    expect(unstretch('cool')).toBeNull()
  })
})

describe('French lexicon cleaning', () => {
  const entries = parseLexicon(
    [
      'sûr->0.4',
      'sous->0.2',
      's->0.8',
      'prix->2.3',
      'génial->0.6',
      'génial->1.0',
      'bof->0.3',
      ':)->2.0',
      'en colère->-2.2',
    ].join('\n'),
  )
  const { words, symbols } = cleanFrenchLexicon(entries)

  it('drops function words, also when they only appear through folding (sûr -> sur)', () => {
    expect(words.has('sur')).toBe(false)
    expect(words.has('sous')).toBe(false)
    expect(FRENCH_FUNCTION_WORDS.has('sur')).toBe(true)
  })

  it('drops single letters, translation homographs and weak entries', () => {
    expect(words.has('s')).toBe(false)
    expect(words.has('prix')).toBe(false)
    expect(words.has('bof')).toBe(false) // |0.3| below the noise floor
  })

  it('folds and averages duplicates, keeps phrases and emoticons', () => {
    expect(words.get('genial')).toBeCloseTo(0.8)
    expect(words.get('en colere')).toBe(-2.2)
    expect(symbols.get(':)')).toBe(2)
  })

  it('the bundled lexicon is loaded and cleaned', () => {
    expect(FR_PACK.words.size).toBeGreaterThan(5000)
    expect(FR_PACK.words.has('sur')).toBe(false)
    expect(FR_PACK.words.get('arnaque')).toBeLessThan(-2)
  })
})
