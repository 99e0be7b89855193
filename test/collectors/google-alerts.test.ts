import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import alerts, { unwrapGoogleUrl } from '../../collectors/google-alerts'
import { fixture, startFixtureServer, type FixtureServer } from '../helpers/fixture-server'
import { makeCtx } from '../helpers/collect'

let srv: FixtureServer
beforeEach(async () => {
  srv = await startFixtureServer()
})
afterEach(() => srv.close())

describe('google-alerts collector', () => {
  it('unwraps redirect links and strips <b> from titles', async () => {
    srv.route('/alerts/feeds/1/2', {
      headers: { etag: '"a1"' },
      body: await fixture('google-alerts/feed.xml'),
    })
    const res = await alerts.collect(makeCtx(), { url: `${srv.url}/alerts/feeds/1/2` }, {})
    expect(res.items.map(({ text, ...rest }) => rest)).toEqual([
      {
        externalId: 'tag:google.com,2013:googlealerts/feed:10957954424213583226',
        url: 'https://www.lesechos.fr/tech-medias/hightech/acme-leve-20-millions-2087654',
        title: "Acme lève 20 millions d'euros pour son cloud souverain",
        author: undefined,
        publishedAt: '2026-03-10T11:52:30.000Z',
      },
      {
        externalId: 'tag:google.com,2013:googlealerts/feed:4417036871200453822',
        url: 'https://www.computerweekly.com/news/366620001/Why-Acme-Clouds-outage-matters',
        title: "Why Acme Cloud's outage matters for EU customers",
        author: undefined,
        publishedAt: '2026-03-10T09:14:00.000Z',
      },
    ])
    expect(res.items[0].text).toContain('<b>Acme</b> boucle un tour de table')
    expect(res.state).toEqual({ etag: '"a1"', lastModified: undefined })
  })

  it('sends the ETag back and reports a 304 as not modified', async () => {
    srv.route(
      '/f',
      (req, res) => void res.writeHead(req.headers['if-none-match'] === '"a1"' ? 304 : 500).end(),
    )
    const res = await alerts.collect(makeCtx(), { url: `${srv.url}/f` }, { etag: '"a1"' })
    expect(res).toEqual({
      items: [],
      state: { etag: '"a1"', lastModified: undefined },
      notModified: true,
    })
  })

  it('prefixes errors: malformed feed, deleted alert', async () => {
    srv.route('/bad', { body: '<feed><entry>' })
    const bad = await alerts.collect(makeCtx(), { url: `${srv.url}/bad` }, {}).catch((e) => e)
    expect(bad.code).toBe('malformed')
    expect(bad.message).toMatch(/^google-alerts: /)
    const gone = await alerts.collect(makeCtx(), { url: `${srv.url}/deleted` }, {}).catch((e) => e)
    expect(gone.code).toBe('not_found')
  })

  it('leaves non-redirect links alone', () => {
    expect(unwrapGoogleUrl('https://example.com/a?url=https://x.y')).toBe(
      'https://example.com/a?url=https://x.y',
    )
    expect(unwrapGoogleUrl('https://www.google.fr/url?q=https://x.example/p&sa=U')).toBe(
      'https://x.example/p',
    )
  })
})
