import { describe, expect, it } from 'vitest'
import {
  canonicalUrl,
  htmlToText,
  identify,
  normalizeDate,
  safeUrl,
  truncate,
} from '../../server/normalize'

describe('htmlToText', () => {
  const cases: [string, string][] = [
    ['plain text', 'plain text'],
    ['<p>Hello <b>world</b></p>', 'Hello world'],
    ['a &amp; b &lt;c&gt; &eacute;t&eacute; &#233; &#x1F600;', 'a & b <c> été é 😀'],
    ['<p>one</p><p>two</p>', 'one\ntwo'],
    ['line<br>break', 'line\nbreak'],
    ['<script>alert(1)</script>safe', 'safe'],
    ['<style>p{}</style><!-- hidden -->shown', 'shown'],
    ['  lots   of\t\tspace  ', 'lots of space'],
    ['<img src=x onerror=alert(1)>text', 'text'],
    ['zero\u200bwidth\ufeff', 'zerowidth'],
    // a right-to-left override makes "invoice\u202Egnp.exe" display as "invoiceexe.png"
    ['invoice\u202egnp.exe', 'invoicegnp.exe'],
    ['Acme \u2067isolate\u2069 \u202aembed\u202c', 'Acme isolate embed'],
    ['\u05e9\u05dc\u05d5\u05dd \u200fAcme', '\u05e9\u05dc\u05d5\u05dd \u200fAcme'], // marks stay
  ]
  it.each(cases)('%j → %j', (input, out) => expect(htmlToText(input)).toBe(out))
})

describe('canonicalUrl', () => {
  const cases: [string, string][] = [
    ['https://www.Example.com/a/b?utm_source=x&id=3#frag', '//example.com/a/b?id=3'],
    ['http://example.com/a/b?id=3', '//example.com/a/b?id=3'],
    ['https://example.com/a/?b=2&a=1', '//example.com/a/?a=1&b=2'],
    ['https://example.com/story/', '//example.com/story'],
    ['https://m.example.com/story?fbclid=abc&gclid=def', '//example.com/story'],
    ['https://example.com/story/amp', '//example.com/story'],
    ['javascript:alert(1)', ''],
    ['not a url', ''],
  ]
  it.each(cases)('%s → %s', (input, out) => expect(canonicalUrl(input)).toBe(out))
})

describe('identify', () => {
  it('prefers the source id, then the canonical URL, then the content', () => {
    const a = identify({
      externalId: ' guid-1 ',
      url: 'https://x.example/a',
      title: 't',
      text: 'x',
    })
    expect(a.externalId).toBe('guid-1')
    const b = identify({ url: 'https://x.example/a?utm_medium=rss', title: 't', text: 'x' })
    const c = identify({ url: 'http://www.x.example/a', title: 'other', text: 'y' })
    expect(b.externalId).toBe(c.externalId)
    expect(b.externalId.startsWith('u:')).toBe(true)
    const d = identify({ url: '', title: 'Title', text: 'Body' })
    expect(d.externalId).toBe(identify({ url: '', title: 'Title', text: 'Body' }).externalId)
    expect(d.externalId.startsWith('c:')).toBe(true)
  })
  // A blog's comment feed: one page, one anchor per comment, each its own mention; a heading's
  // anchor is the page itself. Without a URL, the source's id keeps apart what three accounts
  // posted with the same words.
  it.each([
    ['https://b.example/post/#comment-1', 'https://b.example/post/#comment-2', false],
    ['https://b.example/post#answer-56', 'https://b.example/post#answer-57', false],
    ['https://b.example/post#c42', 'https://b.example/post#c43', false],
    ['https://b.example/post#comment-1', 'https://www.b.example/post/#Comment-1', true],
    ['https://b.example/post#section-2', 'https://b.example/post', true],
    ['https://b.example/post#top', 'https://b.example/post#comments', true],
  ])('%s and %s fold together: %s', (a, b, same) => {
    const f = (url: string) => identify({ url, title: 't', text: 'x' }).foldHash
    expect(f(a) === f(b)).toBe(same)
  })
  it('without a URL, folds by the source id when there is one, else by the words', () => {
    const f = (externalId?: string) =>
      identify({ externalId, url: '', title: '', text: 'Acme a encore coupé le réseau' }).foldHash
    expect(f('z-1')).not.toBe(f('z-2'))
    expect(f('z-1')).toBe(f(' z-1 '))
    expect(f()).toBe(f())
    expect(f().startsWith('c:')).toBe(true)
  })
  it('folds on a collector fold key when given (opaque links)', () => {
    const a = identify({
      url: 'https://news.example/1',
      title: 't',
      text: '',
      foldKey: 'title|publisher',
    })
    const b = identify({
      url: 'https://news.example/2',
      title: 't',
      text: '',
      foldKey: 'title|publisher',
    })
    expect(a.foldHash).toBe(b.foldHash)
    expect(a.externalId).not.toBe(b.externalId)
  })
})

describe('normalizeDate', () => {
  const now = new Date('2026-11-22T12:00:00Z')
  const cases: [string | undefined, string][] = [
    ['Sat, 21 Nov 2026 09:00:00 GMT', '2026-11-21T09:00:00.000Z'],
    ['2026-11-21T10:00:00+01:00', '2026-11-21T09:00:00.000Z'],
    [undefined, now.toISOString()],
    ['garbage', now.toISOString()],
    ['2030-01-01T00:00:00Z', now.toISOString()], // from the future: clamp
    ['1970-01-01T00:00:00Z', now.toISOString()],
  ]
  it.each(cases)('%s → %s', (input, out) => expect(normalizeDate(input, now)).toBe(out))
})

describe('safeUrl and truncate', () => {
  it('keeps only http(s) links', () => {
    expect(safeUrl('javascript:alert(1)')).toBe('')
    expect(safeUrl('data:text/html,x')).toBe('')
    expect(safeUrl('https://ok.example/a')).toBe('https://ok.example/a')
  })
  it('never cuts a surrogate pair', () => {
    expect(truncate('ab😀c', 3)).toBe('ab…')
    expect(truncate('short', 10)).toBe('short')
  })
})
