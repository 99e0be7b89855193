import { describe, expect, it } from 'vitest'
import {
  matches,
  matchQuery,
  parseQuery,
  positiveTerms,
  prepareText,
  QueryError,
  lowercaseOperators,
  type QueryErrorCode,
} from '../../server/query'
import { frenchSpacing, translator } from '../../views/i18n'

describe('query language: matching', () => {
  const cases: [query: string, text: string, expected: boolean][] = [
    // French operators, upper-case like the English ones
    ['Globex OU Initech', 'Globex est en panne encore une fois', true],
    ['Globex OU Initech', 'Initech recrute', true],
    ['Globex ET panne', 'Globex recrute', false],
    ['Globex SAUF recrute', 'Globex recrute', false],
    ['Globex SAUF recrute', 'Globex en panne', true],
    ['Globex ou Initech', 'Globex est en panne', false], // lower-case "ou" is a word
    ['constructor', 'the constructor of Acme', true], // a word, whatever JavaScript thinks
    ['Acme', 'I love Acme products', true],
    ['Acme', 'Welcome to Acmeville', false], // whole words only
    ['acme', 'ACME rocks', true], // case-insensitive
    ['"societe generale"', 'Grève à la Société Générale ce matin', true], // accents folded
    ['"Société Générale"', 'societe generale', true],
    ['oeuvre', "L'Œuvre du mois", true], // ligature
    ['"Acme Corp"', 'Acme and Corp', false], // phrase = consecutive words
    ['"Acme Corp"', 'the acme-corp deal', true], // punctuation separates words
    ['Acme Corp', 'Corp said Acme', true], // implicit AND, any order
    ['Acme Corp', 'Acme alone', false],
    ['Acme OR Globex', 'Globex is here', true],
    ['Acme OR Globex', 'Initech only', false],
    ['Acme -"Acme Road"', 'Traffic on Acme Road', false],
    ['Acme -"Acme Road"', 'Acme launches product', true],
    ['Acme NOT road', 'Acme road works', false],
    ['"Acme" OR "Acme Corp" -"Acme Road"', 'Acme Corp results', true],
    ['"Acme" OR "Acme Corp" -"Acme Road"', 'Acme Road closed', false], // OR binds tighter: the exclusion is global
    ['("Acme" OR "Acme Corp") -"Acme Road"', 'Acme Road closed', false],
    ['(Acme OR Globex) (outage OR panne)', 'Panne chez Globex', true],
    ['(Acme OR Globex) (outage OR panne)', 'Globex is great', false],
    ['acm*', 'Acmeville is near', true], // prefix
    ['acm*', 'an ACM paper', true],
    ['acme*', 'acm', false],
    ['#acme', 'love #Acme', true],
    ['Coca-Cola', 'a coca cola please', true],
    ['Coca-Cola', 'Coca and cola', false],
    ['Acme', "l'Acme est là", true], // elision apostrophe separates
    ['a b OR c', 'a c', true], // Google precedence: a AND (b OR c)
    ['a b OR c', 'c only', false],
    ['a OR b c', 'b c', true], // (a OR b) AND c
    ['a OR b c', 'a only', false],
    ['a AND b OR c', 'a c', true],
    ['NOT x acme', 'acme y', true],
  ]
  it.each(cases)('%s  ~  %s  →  %s', (query, text, expected) => {
    expect(matches(query, text)).toBe(expected)
  })
})

describe('query language: errors', () => {
  const bad: [string, RegExp][] = [
    ['', /empty/],
    ['   ', /empty/],
    ['"Acme', /unclosed quote/],
    ['(Acme OR Globex', /not closed/],
    ['Acme)', /unexpected "\)"/],
    ['Acme OR', /OR .* needs a term/],
    ['OR Acme', /needs a term before/],
    ['-Acme', /at least one term that is not excluded/],
    ['NOT Acme', /at least one term/],
    ['()', /empty parentheses/],
    ['ab* OR a*', /too short/],
    ['""', /empty phrase/],
    ['Acme AND', /AND .* needs a term/],
  ]
  it.each(bad)('rejects %j', (query, message) => {
    expect(() => parseQuery(query)).toThrow(QueryError)
    expect(() => parseQuery(query)).toThrow(message)
  })

  const coded: [string, QueryErrorCode, string][] = [
    ['"Acme', 'unclosedQuote', 'guillemet ouvert en position 1 jamais fermé'],
    ['Acme OR', 'needsTermAfter', 'OR en position 6 doit être suivi d’un terme'],
    ['Acme -', 'needsTermAfter', '- en position 6 doit être suivi d’un terme'],
    ['OR Acme', 'needsTermBefore', 'OR en position 1 doit être précédé d’un terme'],
    // the operator as it was typed, in French too
    ['OU Acme', 'needsTermBefore', 'OU en position 1 doit être précédé d’un terme'],
    ['Acme SAUF', 'needsTermAfter', 'SAUF en position 6 doit être suivi d’un terme'],
    ['Acme ET ET Globex', 'needsTermAfter', 'ET en position 6 doit être suivi d’un terme'],
    ['Acme NOT', 'needsTermAfter', 'NOT en position 6 doit être suivi d’un terme'],
    ['Acme)', 'unexpected', frenchSpacing('« ) » inattendu en position 5')],
    ['(Acme', 'unclosedParen', 'parenthèse ouverte en position 1 jamais fermée'],
    [
      'a* Acme',
      'prefixTooShort',
      frenchSpacing('préfixe « a* » en position 1 trop court (2 lettres au moins)'),
    ],
    ['-Acme', 'onlyExcluded', 'il faut au moins un terme qui ne soit pas exclu'],
    ['*', 'noLetters', frenchSpacing('« * » en position 1 n’a ni lettre ni chiffre')],
  ]
  it('refuses parentheses nested too deep with a reason, not a stack overflow', () => {
    const deep = '('.repeat(20_000) + 'Acme' + ')'.repeat(20_000)
    const e = (() => {
      try {
        parseQuery(deep)
      } catch (err) {
        return err as QueryError
      }
    })()!
    expect(e.code).toBe('tooDeep')
    expect(translator('fr')(`query.err.${e.code}`, { pos: e.position + 1, token: e.token })).toBe(
      'parenthèses imbriquées sur plus de 32 niveaux en position 33',
    )
  })

  it.each(coded)('%j says %s, in French on the form', (query, code, french) => {
    const t = translator('fr')
    try {
      parseQuery(query)
      expect.fail('should throw')
    } catch (err) {
      const e = err as QueryError
      expect(e.code).toBe(code)
      expect(t(`query.err.${e.code}`, { pos: e.position + 1, token: e.token })).toBe(french)
    }
  })

  it.each([
    ['acme or globex', ['or']],
    ['Acme OR Globex', []],
    ['"acme or globex" Not-Acme', []],
    ['acme And globex, not Acme Road', ['And', 'not']],
  ])('lowercaseOperators(%j) = %j', (query, words) => {
    expect(lowercaseOperators(query)).toEqual(words)
  })

  it('reports the position of the problem', () => {
    try {
      parseQuery('Acme OR (Globex')
      expect.fail('should throw')
    } catch (err) {
      expect((err as QueryError).position).toBe(8)
    }
  })
})

describe('query language: terms for search APIs and highlights', () => {
  it('lists positive terms, not excluded ones', () => {
    expect(positiveTerms(parseQuery('"Acme" OR "Acme Corp" -"Acme Road"'))).toEqual([
      'acme',
      'acme corp',
    ])
    expect(positiveTerms(parseQuery('(Acme OR Globex) NOT (spam OR promo)'))).toEqual([
      'acme',
      'globex',
    ])
  })
  it('returns the terms that matched', () => {
    const q = parseQuery('Acme OR Globex OR Initech')
    expect(matchQuery(q, prepareText('Acme and Initech merge'))).toEqual(['Acme', 'Initech'])
    expect(matchQuery(q, prepareText('nothing'))).toBeNull()
  })
})
