import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import rss, { cutAfterCap, MAX_FEED_ITEMS, parseFeed } from '../../collectors/rss'
import { htmlToText } from '../../server/normalize'
import { CollectorError } from '../../collectors/http'
import {
  fixture,
  fixtureBytes,
  startFixtureServer,
  type FixtureServer,
} from '../helpers/fixture-server'
import { makeCtx } from '../helpers/collect'

let srv: FixtureServer
beforeEach(async () => {
  srv = await startFixtureServer()
})
afterEach(() => srv.close())

const xml = (body: string, headers: Record<string, string> = {}) => ({
  headers: { 'content-type': 'application/rss+xml', ...headers },
  body,
})

describe('rss collector', () => {
  it('maps RSS 2.0 items, keeps items without guid and drops a repeated guid', async () => {
    srv.route('/feed.xml', xml(await fixture('rss/rss2.xml')))
    const res = await rss.collect(makeCtx(), { url: `${srv.url}/feed.xml` }, {})
    expect(res.items).toEqual([
      {
        externalId: 'jdn-48213',
        url: 'https://journal.example.fr/2026/03/acme-leve-20-millions',
        title: 'Acme lève 20 millions d’euros pour son cloud souverain',
        text: '<p>La start-up lyonnaise <b>Acme</b> annonce une levée de fonds.</p>',
        author: 'Claire Martin',
        publishedAt: '2026-03-10T07:15:00.000Z',
      },
      {
        externalId: undefined,
        url: 'https://journal.example.fr/2026/03/acme-cloud-outage',
        title: 'Acme Cloud outage: what we know',
        text: 'Customers reported errors for two hours.',
        author: undefined,
        publishedAt: '2026-03-09T18:00:00.000Z',
      },
    ])
  })

  it('maps Atom entries (id, alternate link, author name)', async () => {
    srv.route('/atom', xml(await fixture('rss/atom.xml')))
    const res = await rss.collect(makeCtx(), { url: `${srv.url}/atom` }, {})
    expect(res.items).toHaveLength(1)
    expect(res.items[0]).toMatchObject({
      externalId: 'tag:blog.example.com,2026:posts/arm',
      url: 'https://blog.example.com/posts/arm',
      title: 'Why we moved Acme Cloud to ARM',
      author: 'jdoe',
      publishedAt: '2026-03-09T10:30:00.000Z',
    })
    expect(res.items[0].text).toContain('Our fleet now runs on ARM.')
  })

  it('maps RSS 1.0 / RDF items with dc:creator and dc:date', async () => {
    srv.route('/rdf', xml(await fixture('rss/rdf.xml')))
    const res = await rss.collect(makeCtx(), { url: `${srv.url}/rdf` }, {})
    expect(res.items).toEqual([
      {
        externalId: undefined,
        url: 'https://forum.example.org/t/991',
        title: 'Avis sur Acme ?',
        text: "Quelqu'un utilise Acme en production ?",
        author: 'linus_fr',
        publishedAt: '2026-03-08T20:04:00.000Z',
      },
    ])
  })

  it('reads fields that arrive as objects instead of failing the whole feed', async () => {
    srv.route('/odd.xml', xml(await fixture('rss/odd-fields.xml')))
    const res = await rss.collect(makeCtx(), { url: `${srv.url}/odd.xml` }, {})
    expect(res.warning).toBeUndefined()
    expect(res.items.map((i) => [i.externalId, i.url, i.title, i.author])).toEqual([
      [undefined, 'https://journal.example.fr/1', 'Acme ouvre un bureau à Lyon', undefined],
      ['jdn-2', 'https://journal.example.fr/2', 'Acme recrute', 'Bob'],
      ['jdn-3', 'https://journal.example.fr/3', 'Acme et le cloud', 'Claire Martin'],
      ['jdn-4', 'https://journal.example.fr/4', 'Acme en bourse', undefined],
      ['jdn-5', 'https://journal.example.fr/5', '', undefined],
    ])
  })

  it('reads an Atom xhtml title and an id with an attribute', async () => {
    srv.route('/atom-odd', xml(await fixture('rss/atom-odd-fields.xml')))
    const res = await rss.collect(makeCtx(), { url: `${srv.url}/atom-odd` }, {})
    // an xhtml title comes as its markup (read in order by the pipeline's htmlToText)
    expect(res.items.map((i) => [i.externalId, htmlToText(i.title!), i.author])).toEqual([
      ['tag:blog.example.com,2026:posts/xhtml', 'Why Acme', 'jdoe'],
      ['tag:blog.example.com,2026:posts/plain', 'Plain entry', undefined],
    ])
  })

  describe('decodes the feed in its declared charset', () => {
    const SG = 'Société Générale choisit Acme'
    const cases: [string, string, string, string][] = [
      ['Latin-1 declared in the XML prolog', 'latin1-prolog.xml', 'application/rss+xml', SG],
      [
        'Latin-1 declared in Content-Type only',
        'latin1-no-prolog.xml',
        'application/rss+xml; charset=ISO-8859-1',
        SG,
      ],
      [
        'Content-Type charset over the prolog',
        'latin1-prolog.xml',
        'text/xml; charset="iso-8859-1"',
        SG,
      ],
      [
        'windows-1252 (’, €, «»)',
        'windows-1252.xml',
        'text/xml',
        'L’accord Acme : 20 M€ « signé »',
      ],
      ['UTF-16LE with a BOM', 'utf16le-bom.xml', 'application/xml', SG],
      ['UTF-16BE with a BOM', 'utf16be-bom.xml', 'application/xml', SG],
      [
        '"utf-16" in Content-Type takes the BOM’s order',
        'utf16be-bom.xml',
        'text/xml; charset=utf-16',
        SG,
      ],
      [
        'an unknown charset name falls back to UTF-8',
        'rss2.xml',
        'text/xml; charset=x-klingon',
        'Acme lève 20 millions d’euros pour son cloud souverain',
      ],
    ]
    it.each(cases)('%s', async (_, file, contentType, title) => {
      srv.route('/enc.xml', {
        headers: { 'content-type': contentType },
        body: await fixtureBytes(`rss/${file}`),
      })
      const res = await rss.collect(makeCtx(), { url: `${srv.url}/enc.xml` }, {})
      expect(res.items[0].title).toBe(title)
    })

    it('reads the description in the same charset', async () => {
      srv.route('/enc.xml', xml((await fixtureBytes('rss/latin1-prolog.xml')) as unknown as string))
      const res = await rss.collect(makeCtx(), { url: `${srv.url}/enc.xml` }, {})
      expect(res.items[0].text).toBe('Société Générale et Acme signent un accord.')
    })
  })

  it('keeps the first MAX_FEED_ITEMS items of a huge feed and says so', async () => {
    const items = Array.from(
      { length: MAX_FEED_ITEMS + 250 },
      (_, i) => `<item><guid>g${i}</guid></item>`,
    )
    srv.route(
      '/huge.xml',
      xml(`<rss version="2.0"><channel><title>huge</title>${items.join('')}</channel></rss>`),
    )
    const res = await rss.collect(makeCtx(), { url: `${srv.url}/huge.xml` }, {})
    expect(res.items).toHaveLength(MAX_FEED_ITEMS)
    expect(res.items[0].externalId).toBe('g0')
    expect(res.items.at(-1)?.externalId).toBe(`g${MAX_FEED_ITEMS - 1}`)
    expect(res.warning).toBe(
      `rss: kept the first ${MAX_FEED_ITEMS} of ${MAX_FEED_ITEMS + 250} items`,
    )
  })

  it('reads Atom xhtml content in document order (a brand inside a link was lost)', async () => {
    const div = (inner: string) => `<div xmlns="http://www.w3.org/1999/xhtml">${inner}</div>`
    const xml = `<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
      <entry><id>a</id><title type="xhtml">${div('Avis sur <b>Acmetel</b>')}</title>
      <content type="xhtml">${div('Je ne suis <b>pas du tout</b> content de <a href="https://x.example">Acmetel</a>, service <em>horrible</em> &amp; lent.')}</content></entry>
      <entry><id>b</id><title>Merci</title>
      <content type='xhtml'>${div('Merci <b>Acmetel</b>, dépannage <b>rapide</b> !')}</content></entry></feed>`
    const feed = await parseFeed(xml, 'http://127.0.0.1/f')
    expect(feed.items.map((i) => [htmlToText(i.title!), htmlToText(i.text!)])).toEqual([
      ['Avis sur Acmetel', 'Je ne suis pas du tout content de Acmetel, service horrible & lent.'],
      ['Merci', 'Merci Acmetel, dépannage rapide !'],
    ])
  })

  describe('cutAfterCap: a long document is cut before its parser builds the rest', () => {
    const many = (n: number, tag: string) =>
      Array.from({ length: n }, (_, i) => `<${tag}><id>x${i}</id></${tag}>`).join('')
    const cases: { name: string; xml: string; end?: string; listed?: number }[] = [
      {
        name: 'RSS 2.0 over the cap',
        xml: `<rss version="2.0"><channel><title>t</title>${many(MAX_FEED_ITEMS + 3, 'item')}</channel></rss>`,
        end: '</item></channel></rss>',
        listed: MAX_FEED_ITEMS + 3,
      },
      {
        name: 'Atom over the cap, entries with attributes',
        xml: `<feed xmlns="http://www.w3.org/2005/Atom">${many(MAX_FEED_ITEMS + 1, 'entry xml:lang="fr"').replaceAll('</entry xml:lang="fr">', '</entry>')}</feed>`,
        end: '</entry></feed>',
        listed: MAX_FEED_ITEMS + 1,
      },
      {
        name: 'RSS 1.0 (RDF) over the cap',
        xml: `<rdf:RDF xmlns:rdf="x"><channel/>${many(MAX_FEED_ITEMS + 2, 'item')}</rdf:RDF>`,
        end: '</item></rdf:RDF>',
        listed: MAX_FEED_ITEMS + 2,
      },
      {
        name: 'exactly the cap: untouched',
        xml: `<rss><channel>${many(MAX_FEED_ITEMS, 'item')}</channel></rss>`,
      },
      {
        name: 'an unknown root: untouched',
        xml: `<html>${many(MAX_FEED_ITEMS + 5, 'item')}</html>`,
      },
      {
        name: '<items> and <itemref> are not items',
        xml: `<rss><channel>${many(MAX_FEED_ITEMS + 5, 'items')}</channel></rss>`,
      },
    ]
    it.each(cases)('$name', ({ xml, end, listed }) => {
      const cut = cutAfterCap(xml)
      if (!end) return expect(cut).toBeUndefined()
      expect(cut!.listed).toBe(listed)
      expect(cut!.xml.endsWith(end)).toBe(true)
      expect(cut!.xml.split(/<(?:item|entry)[\s>]/).length - 1).toBe(MAX_FEED_ITEMS)
    })

    it('reads the whole document when the cut lands inside a CDATA section', async () => {
      const quoted = Array.from({ length: MAX_FEED_ITEMS }, () => '<item>').join(' ')
      const xml = `<rss version="2.0"><channel><title>t</title><item><guid>a</guid><description><![CDATA[${quoted}]]></description></item><item><guid>b</guid></item></channel></rss>`
      expect(cutAfterCap(xml)).toBeDefined() // the regex cannot tell; the parser can
      const feed = await parseFeed(xml, 'http://127.0.0.1/f')
      expect(feed.items.map((i) => i.externalId)).toEqual(['a', 'b'])
      expect(feed.listed).toBeUndefined()
    })
  })

  it('keeps ETag/Last-Modified and turns a 304 into notModified', async () => {
    const body = await fixture('rss/rss2.xml')
    srv.route('/feed.xml', (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end()
      res
        .writeHead(200, { etag: '"v1"', 'last-modified': 'Tue, 10 Mar 2026 08:00:00 GMT' })
        .end(body)
    })
    const cfg = { url: `${srv.url}/feed.xml` }
    const first = await rss.collect(makeCtx(), cfg, {})
    expect(first.state).toEqual({ etag: '"v1"', lastModified: 'Tue, 10 Mar 2026 08:00:00 GMT' })
    const second = await rss.collect(makeCtx(), cfg, first.state)
    expect(second).toEqual({ items: [], state: first.state, notModified: true })
    expect(srv.requests[1].headers['if-none-match']).toBe('"v1"')
    expect(srv.requests[1].headers['if-modified-since']).toBe('Tue, 10 Mar 2026 08:00:00 GMT')
  })

  it('classifies malformed XML', async () => {
    srv.route('/bad', xml(await fixture('rss/malformed.xml')))
    const err = await rss.collect(makeCtx(), { url: `${srv.url}/bad` }, {}).catch((e) => e)
    expect(err).toBeInstanceOf(CollectorError)
    expect(err.code).toBe('malformed')
  })

  it('classifies a 404 and rejects a config without a URL', async () => {
    const err = await rss.collect(makeCtx(), { url: `${srv.url}/missing` }, {}).catch((e) => e)
    expect(err.code).toBe('not_found')
    expect(rss.schema.safeParse({ url: 'ftp://x' }).success).toBe(false)
    expect(rss.schema.safeParse({ url: 'https://x.example/feed', extra: 1 }).success).toBe(false)
  })
})
