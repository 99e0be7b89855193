import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import github from '../../collectors/github'
import { fixture, startFixtureServer, type FixtureServer } from '../helpers/fixture-server'
import { makeCtx, query } from '../helpers/collect'

let srv: FixtureServer
beforeEach(async () => {
  srv = await startFixtureServer()
})
afterEach(() => srv.close())

const RESET = 1773144060 // NOW + 60 s
const headers = (remaining: number) => ({
  'content-type': 'application/json',
  'x-ratelimit-limit': '10',
  'x-ratelimit-remaining': String(remaining),
  'x-ratelimit-reset': String(RESET),
})

describe('github collector', () => {
  it('searches issues and pull requests separately and maps them', async () => {
    const issues = await fixture('github/issues.json')
    const pulls = await fixture('github/pulls.json')
    srv.route('/search/issues', (req, res) => {
      const q = query(req.url!).q
      res.writeHead(200, headers(8)).end(q.includes('is:issue') ? issues : pulls)
    })
    const res = await github.collect(
      makeCtx(),
      github.schema.parse({ baseUrl: srv.url, token: 'ghp_x' }),
      {},
    )
    expect(srv.requests.map((r) => query(r.url))).toEqual([
      {
        q: 'Acme OR "Acme Cloud" is:issue created:>2026-03-09T12:00:00Z',
        sort: 'created',
        order: 'asc',
        per_page: '50',
        page: '1',
      },
      {
        q: 'Acme OR "Acme Cloud" is:pull-request created:>2026-03-09T12:00:00Z',
        sort: 'created',
        order: 'asc',
        per_page: '50',
        page: '1',
      },
    ])
    expect(srv.requests[0].headers.authorization).toBe('Bearer ghp_x')
    expect(res.items.map((i) => i.externalId)).toEqual(['2901234567', '2901299999', '2901300001'])
    expect(res.items[0]).toEqual({
      externalId: '2901234567',
      url: 'https://github.com/octo-org/infra/issues/812',
      title: 'Terraform provider fails against Acme Cloud eu-west-3',
      text: 'Since yesterday `terraform apply` against Acme Cloud returns 502.',
      author: 'claire-m',
      publishedAt: '2026-03-09T14:05:11.000Z',
      metrics: { comments: 3, reactions: 5 },
    })
    expect(res.items[1].text).toBe('')
    expect(res.state).toEqual({
      since: { issue: '2026-03-10T09:30:00Z', 'pull-request': '2026-03-10T10:00:00Z' },
    })
    expect(res.retryAfterMs).toBeUndefined()
  })

  it('sends each kind’s watermark and adds the extra qualifiers', async () => {
    srv.route('/search/issues', { headers: headers(9), body: await fixture('github/empty.json') })
    const state = {
      since: { issue: '2026-03-10T09:30:00Z', 'pull-request': '2026-03-10T10:00:00Z' },
    }
    const res = await github.collect(
      makeCtx(),
      github.schema.parse({ baseUrl: srv.url, qualifiers: '-org:acme' }),
      state,
    )
    expect(query(srv.requests[0].url).q).toBe(
      'Acme OR "Acme Cloud" is:issue created:>2026-03-10T09:30:00Z -org:acme',
    )
    expect(query(srv.requests[1].url).q).toBe(
      'Acme OR "Acme Cloud" is:pull-request created:>2026-03-10T10:00:00Z -org:acme',
    )
    expect(res).toEqual({ items: [], state, retryAfterMs: undefined, warning: undefined })
  })

  it('stops when the remaining budget hits zero and returns retryAfterMs until reset', async () => {
    srv.route('/search/issues', { headers: headers(0), body: await fixture('github/issues.json') })
    const res = await github.collect(makeCtx(), github.schema.parse({ baseUrl: srv.url }), {})
    expect(srv.requests).toHaveLength(1)
    expect(res.items).toHaveLength(2)
    expect(res.retryAfterMs).toBe(60_000)
    // The pull-request kind was not searched: its watermark stays at the first look-back.
    expect(res.state.since).toEqual({ issue: '2026-03-10T09:30:00Z' })
  })

  it('turns a rate-limit 403 into rate_limited with the reset delay', async () => {
    srv.route('/search/issues', {
      status: 403,
      headers: headers(0),
      body: await fixture('github/rate-limited.json'),
    })
    const err = await github
      .collect(makeCtx(), github.schema.parse({ baseUrl: srv.url }), {})
      .catch((e) => e)
    expect(err).toMatchObject({ code: 'rate_limited', status: 403, retryAfterMs: 60_000 })
    expect(err.message).toBe(
      'github: search rate limit reached (add a token for 30 requests a minute)',
    )
  })

  it('reports a refused token as auth', async () => {
    srv.route('/search/issues', { status: 401, body: '{"message":"Bad credentials"}' })
    const err = await github
      .collect(makeCtx(), github.schema.parse({ baseUrl: srv.url, token: 'bad' }), {})
      .catch((e) => e)
    expect(err).toMatchObject({ code: 'auth', status: 401 })
    expect(err.message).toMatch(/^github: HTTP 401/)
  })

  it('reports a 422 as a config error quoting the query', async () => {
    srv.route('/search/issues', {
      status: 422,
      body: await fixture('github/validation-failed.json'),
    })
    const err = await github
      .collect(makeCtx(), github.schema.parse({ baseUrl: srv.url }), {})
      .catch((e) => e)
    expect(err.code).toBe('config')
    expect(err.message).toContain('Validation Failed')
  })

  it('classifies a body without items as malformed', async () => {
    srv.route('/search/issues', { headers: headers(5), body: '{"total_count":0}' })
    const err = await github
      .collect(makeCtx(), github.schema.parse({ baseUrl: srv.url }), {})
      .catch((e) => e)
    expect(err.code).toBe('malformed')
  })

  it('fetches a second page when the first is full, and no more (bounded)', async () => {
    const base = JSON.parse(await fixture('github/issues.json')).items[0]
    const page = (n: number) => ({
      total_count: 500,
      incomplete_results: false,
      items: Array.from({ length: 50 }, (_, i) => ({
        ...base,
        id: n * 1000 + i,
        created_at: `2026-03-10T0${n}:${String(i).padStart(2, '0')}:00Z`,
      })),
    })
    srv.route('/search/issues', (req, res) => {
      res.writeHead(200, headers(9)).end(JSON.stringify(page(Number(query(req.url!).page))))
    })
    const res = await github.collect(
      makeCtx(),
      github.schema.parse({ baseUrl: srv.url, kinds: 'issue' }),
      {},
    )
    expect(srv.requests.map((r) => query(r.url).page)).toEqual(['1', '2'])
    expect(res.items).toHaveLength(100)
    // Oldest first: the watermark is the newest item actually read, so the rest comes next poll.
    expect(res.state.since).toEqual({ issue: '2026-03-10T02:49:00Z' })
  })

  it('leaves out issues with wrong-typed fields and keeps the others', async () => {
    const body = await fixture('github/wrong-types.json')
    srv.route('/search/issues', (_req, res) => void res.writeHead(200, headers(8)).end(body))
    const res = await github.collect(
      makeCtx(),
      github.schema.parse({ baseUrl: srv.url, kinds: 'issue' }),
      {},
    )
    expect(res.items.map((i) => [i.externalId, i.title, i.text, i.author, i.metrics])).toEqual([
      ['9001', 'Acme SDK crashes', 'stack trace', '42', undefined],
      ['9004', 'Acme works', '', undefined, undefined],
    ])
    expect(res.warning).toBe('github: 3 unreadable items left out')
    expect(res.state.since).toEqual({ issue: '2026-03-09T14:00:00Z' })
  })
})
