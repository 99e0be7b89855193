// Pure helpers shared by the collectors: the tolerant field reader and failure classification.
import { describe, expect, it } from 'vitest'
import { collectFailure, CollectorError } from '../../collectors/http'
import { joinWarnings, optionalText, skippedWarning, textOf } from '../../collectors/shared'

describe('textOf', () => {
  const cases: [string, unknown, string][] = [
    ['a string as it is', ' Acme ', ' Acme '],
    ['a number as digits', 42, '42'],
    ['NaN as nothing', Number.NaN, ''],
    ['a boolean', true, 'true'],
    ['null', null, ''],
    ['undefined', undefined, ''],
    ['a function', () => 'x', ''],
    ['an element with attributes', { _: 'e2', $: { foo: '1' } }, 'e2'],
    ['an empty element with attributes', { $: { type: 'text' } }, ''],
    ['fast-xml-parser text', { '#text': 'Bob', '@_x': undefined }, 'Bob'],
    ['a child element', { name: ['Bob'] }, 'Bob'],
    ['own text then children', { _: 'Why', b: ['Acme'], $: { xmlns: 'x' } }, 'Why Acme'],
    ['nested children', { div: [{ span: ['Claire'], em: ['Martin'] }] }, 'Claire Martin'],
    ['an array: first usable value', ['', { $: {} }, 'second', 'third'], 'second'],
    ['an empty array', [], ''],
  ]
  it.each(cases)('%s', (_, input, expected) => expect(textOf(input)).toBe(expected))

  it('stops on absurd nesting instead of recursing forever', () => {
    const deep: Record<string, unknown> = {}
    let at = deep
    for (let i = 0; i < 10_000; i++) at = (at.x = {}) as Record<string, unknown>
    at.x = 'bottom'
    expect(textOf(deep)).toBe('')
  })

  it('optionalText trims and turns empty into undefined', () => {
    expect([optionalText('  a '), optionalText(' '), optionalText({ $: {} })]).toEqual([
      'a',
      undefined,
      undefined,
    ])
  })
})

describe('poll warnings', () => {
  it('counts skipped items and joins warnings', () => {
    expect(skippedWarning('rss', 0)).toBeUndefined()
    expect(skippedWarning('rss', 1)).toBe('rss: 1 unreadable item left out')
    expect(skippedWarning('rss', 3)).toBe('rss: 3 unreadable items left out')
    expect(joinWarnings(undefined, 'a', undefined, 'b')).toBe('a; b')
    expect(joinWarnings(undefined)).toBeUndefined()
  })
})

describe('collectFailure', () => {
  const cases: [string, unknown, string][] = [
    ['a classified error keeps its code', new CollectorError('server', 'HTTP 502'), 'server'],
    ['a TypeError is a reading failure', new TypeError('s.replace is not a function'), 'malformed'],
    ['a RangeError too', new RangeError('Invalid time value'), 'malformed'],
    ['something thrown that is not an Error', 'boom', 'malformed'],
  ]
  it.each(cases)('%s', (_, err, code) => expect(collectFailure(err).code).toBe(code))

  it('says what could not be read', () => {
    expect(collectFailure(new TypeError('x.trim is not a function')).message).toBe(
      'could not read the response (x.trim is not a function)',
    )
  })
})
