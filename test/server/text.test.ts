// Pure text helpers shared by the feed, alerts and the digest: the search box's words, and
// grouping copies of one text.
import { describe, expect, it } from 'vitest'
import { byWording, fold, searchWords } from '../../server/text'

describe('searchWords', () => {
  it.each([
    ['panne', ['panne'], []],
    ['panne -réseau', ['panne'], ['réseau']],
    ['client   impossible', ['client', 'impossible'], []],
    ['-panne -grève', [], ['panne', 'grève']],
    ['Coca-Cola -x', ['Coca-Cola'], ['x']],
    ['"guillemets" (et) OR', ['guillemets', 'et', 'OR'], []],
    ['', [], []],
  ])('%j → include %j, exclude %j', (q, include, exclude) => {
    expect(searchWords(q)).toEqual({ include, exclude })
  })
})

describe('byWording', () => {
  it('groups by wording, case, accents and punctuation aside, in first-seen order', () => {
    const items = ['Panne !', 'réseau', 'panne', 'PANNE...', 'Réseau ?', 'autre']
    expect(byWording(items, (s) => s).map((g) => [g.item, g.copies])).toEqual([
      ['Panne !', 3],
      ['réseau', 2],
      ['autre', 1],
    ])
  })
})

describe('fold', () => {
  it.each([
    ['Société Générale', 'societe generale'],
    ['Œuvre', 'oeuvre'],
    ['ＡＣＭＥＴＥＬ en panne', 'acmetel en panne'], // full width, as some phones type it
    ['ﬁbre', 'fibre'],
    ['Ελλάδα', 'ελλαδα'],
    ['plain ascii', 'plain ascii'],
  ])('%j → %j', (raw, folded) => expect(fold(raw)).toBe(folded))
})
