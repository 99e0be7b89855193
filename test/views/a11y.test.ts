// What a screen reader needs from the rendered HTML: the language each mention is written in,
// headings in order, live regions that stay in the page while their content changes.
import { describe, expect, it } from 'vitest'
import type { MentionRow } from '../../db/mentions'
import { formatter, translator } from '../../views/i18n'
import { ErrorSummary, kindLabel, SentimentBadge } from '../../views/components'
import { AnswerPage } from '../../views/pages/answer'
import { SigninPage, TwoFactorPage } from '../../views/pages/signin'
import { BrandFormPage, QueryPreview } from '../../views/pages/brands'
import { Feed, MentionDetailPage } from '../../views/pages/mentions'
import { SourceTestResult } from '../../views/partials/source-test'
import { LivePill, MentionItem } from '../../views/partials/mention-list'
import { VolumeChart } from '../../views/partials/volume-chart'
import type { AlertRow } from '../../db/alerts'
import type { ViewCtx } from '../../views/view-context'
import { mentionRow } from '../helpers/mention-row'

const v = {
  t: translator('fr'),
  fmt: formatter('fr', 'Europe/Paris'),
  locale: 'fr',
  now: new Date('2026-11-22T12:00:00Z'),
  path: '/mentions',
  here: '/mentions',
  user: { id: 1, email: 'x@y.example', name: 'X', role: 'responder' },
} as ViewCtx

const row = (over: Partial<MentionRow> = {}) =>
  mentionRow({
    title: 'Acme customers report failed transfers',
    text: 'Some Acme users said transfers failed on Monday.',
    lang: 'en',
    ...over,
  })

const html = (node: unknown) => String(node)

describe('the language of a mention', () => {
  // On a French page an English post is read with a French voice unless its text says otherwise.
  it('marks the title and text of a feed card', () => {
    const out = html(MentionItem({ v, m: row() }))
    expect(out).toMatch(/<h3 class="mention-title" lang="en">/)
    expect(out).toMatch(/<p class="mention-text" lang="en">/)
  })

  it('marks the title and text on the mention page and the answer page', async () => {
    const detail = html(
      await MentionDetailPage({
        v,
        m: row(),
        events: [],
        triage: {
          values: { status: 'new', assignee: '', note: '', answer_url: '', manual_label: '' },
          errors: {},
        },
      }),
    )
    expect(detail).toMatch(/<h1 class="detail-title" lang="en">/)
    expect(detail).toMatch(/<p class="detail-text" lang="en">/)
    const answer = html(await AnswerPage({ v, mention: row(), a: { canWrite: true } }))
    expect(answer).toMatch(/<h1 class="mention-title" lang="en">/)
    expect(answer).toMatch(/<p class="mention-text" lang="en">/)
  })

  it("marks the examples of the brand editor's live preview", () => {
    const r = { id: 7, brand_name: 'Acme', title: '', text: 'Acme en panne', terms: ['Acme'] }
    const data = { sample: 1, keptN: 1, droppedN: 0, ownN: 0, dropped: [], lowercaseOps: [] }
    const kept = [{ ...r, published_at: '2026-11-22T10:00:00.000Z', lang: 'fr' }]
    const out = html(QueryPreview({ v: { ...v, locale: 'en' }, data: { ...data, kept } }))
    expect(out).toMatch(/<a href="\/mentions\/7" lang="fr">/)
  })

  it('claims no language for a text Vigie could not identify, nor for a malformed code', () => {
    for (const lang of ['other', '', 'en"><x', 'x y']) {
      const out = html(MentionItem({ v, m: row({ lang }) }))
      expect(out).not.toMatch(/class="mention-(title|text)" lang=/)
    }
  })
})

describe('headings', () => {
  // h1 "Mentions", then each card's title as h3: a screen reader's list of headings skipped a level
  it('puts a level-2 heading between the feed page title and the cards', () => {
    const out = html(Feed({ v, rows: [row()], nextUrl: null, live: { after: 0, query: '' } }))
    const levels = [...out.matchAll(/<h([1-6])/g)].map((m) => Number(m[1]))
    expect(levels).toEqual([2, 3])
  })
})

describe('live regions', () => {
  // A screen reader announces changes inside a live region that is already in the page; a region
  // replaced whole by each poll (outerHTML every 10 s) is, for it, a new one: often never read.
  it("keeps the live pill's region in place while the pill inside it is polled and replaced", () => {
    const feed = html(Feed({ v, rows: [row()], nextUrl: null, live: { after: 0, query: '' } }))
    expect(feed).toMatch(/<div class="live-region" aria-live="polite"><div id="live"/)
    const polled = html(LivePill({ v, after: 0, count: 3, query: '' }))
    expect(polled).toContain('hx-swap="outerHTML"')
    expect(polled).not.toContain('aria-live')
  })
})

describe('a refused form', () => {
  // The page comes back with the errors; focus at the top of the page and a role=alert that was
  // there on load (not announced) left a screen reader user unaware the form was refused.
  it('moves focus to the error summary', () => {
    const out = html(ErrorSummary({ v, errors: { name: 'Obligatoire' } }))
    expect(out).toMatch(/<div class="alert alert-error" role="alert" tabindex="-1" autofocus="">/)
  })

  it('ties the sign-in error to the field focused on load', () => {
    const signin = html(SigninPage({ v, email: 'a@b.example', next: '/', error: 'Refusé.' }))
    expect(signin).toMatch(/<input id="signin-email"[^>]* aria-describedby="signin-error"/)
    expect(signin).toMatch(/<input id="signin-email"[^>]* aria-invalid="true"/)
    const code = html(TwoFactorPage({ v, next: '/', error: 'Code refusé.' }))
    expect(code).toMatch(/<input id="signin-code"[^>]* aria-describedby="code-error"/)
    // no error: nothing to point at
    expect(html(SigninPage({ v, email: '', next: '/' }))).not.toContain('aria-describedby')
  })
})

describe("the brand editor's live preview", () => {
  const r = { brand_name: 'Acme', title: '', published_at: '2026-11-22T10:00:00.000Z', lang: 'fr' }
  const kept = [1, 2, 3].map((id) => ({ ...r, id, text: `Acme ${id}`, terms: ['Acme'] }))
  const data = { sample: 9, keptN: 3, droppedN: 0, ownN: 0, kept, dropped: [], lowercaseOps: [] }

  // The whole preview (a dozen example mentions) was the live region, read out at every pause
  // in the typing; a screen reader user hears the one-line verdict instead.
  it('announces only its verdict, through a status line that stays in the page', async () => {
    const page = html(
      await BrandFormPage({
        v,
        values: { name: '', query: '', vocabulary: '', active: true },
        errors: {},
      }),
    )
    expect(page).toMatch(/<p id="preview-status" class="sr-only" role="status"><\/p>/)
    expect(page).toMatch(/<div id="preview">/)
    expect(page.match(/aria-live|role="status"/g)).toHaveLength(1)
    const out = html(QueryPreview({ v, data }))
    const said = out.match(/<hx-partial hx-target="#preview-status" hx-swap="innerHTML">(.*?)</)
    expect(said?.[1]).toBe('Garderait 3 des 9 dernières mentions enregistrées (30 jours)')
  })

  it('announces a query error or the lowercase-operator warning too', () => {
    const bad = html(QueryPreview({ v, data: { error: 'guillemet jamais fermé' } }))
    expect(bad).toMatch(/hx-target="#preview-status" hx-swap="innerHTML">Requête invalide/)
    const warned = html(QueryPreview({ v, data: { ...data, lowercaseOps: ['or'] } }))
    expect(warned).toMatch(
      /hx-target="#preview-status" hx-swap="innerHTML">⚠ [^<]*or[^<]*Garderait/,
    )
  })
})

describe('an English page', () => {
  it('gives the brand vocabulary an English example, as its help text does', async () => {
    const en = { ...v, t: translator('en'), locale: 'en' } as ViewCtx
    const page = html(
      await BrandFormPage({
        v: en,
        values: { name: '', query: '', vocabulary: '', active: true },
        errors: {},
      }),
    )
    expect(page).toContain('placeholder="outage = -3\nsick = +2"')
    expect(page).not.toContain('panne')
  })
})

describe('the volume chart', () => {
  // The chart is one image for assistive technology (role=img, its summary as its name): the links
  // drawn on it for open alerts were keyboard stops a screen reader could not name (axe:
  // nested-interactive). The same alerts are listed as links under the chart.
  it('draws the alert bands as part of its image, not as links inside it', () => {
    const from = new Date('2026-11-22T00:00:00Z')
    const to = new Date('2026-11-22T12:00:00Z')
    const series = Array.from({ length: 12 }, (_, i) => ({
      start: new Date(from.getTime() + i * 3600_000),
      n: 2,
      pos: 1,
      neu: 0,
      neg: 1,
    }))
    const alert = {
      id: 3,
      brand_name: 'Acme',
      started_at: '2026-11-22T05:00:00Z',
      last_abnormal_at: '2026-11-22T06:00:00Z',
      window_minutes: 60,
    } as AlertRow
    const out = html(
      VolumeChart({
        v,
        tz: 'Europe/Paris',
        spec: { from, to, bucketHours: 1 } as Parameters<typeof VolumeChart>[0]['spec'],
        series: series as Parameters<typeof VolumeChart>[0]['series'],
        alerts: [alert],
      }),
    )
    expect(out).toMatch(/<svg[^>]* role="img"/)
    expect(out).toMatch(/<g class="alert-band" data-href="\/alerts\/3">/)
    expect(out).not.toMatch(/<a [^>]*alert-band/)
  })
})

describe('the sentiment badge', () => {
  // '✎' alone was read out as 'pencil' (or nothing): a teammate's correction must be said in words
  it('says in words that a person corrected the label', () => {
    const out = html(SentimentBadge({ v, label: 'negative', scored: true, manual: true }))
    expect(out).toContain('<span aria-hidden="true"> ✎</span>')
    expect(out).toContain('<span class="sr-only"> (corrigé par l’équipe)</span>')
    expect(html(SentimentBadge({ v, label: 'negative', scored: true }))).not.toContain('✎')
  })
})

describe("the source form's Test source", () => {
  // The dry run's answer replaced the live region it was swapped into (outerHTML), arriving as a
  // new role=status holding every item fetched: not read at all, or read item by item.
  it('announces its one-line outcome through a status line that stays in the page', () => {
    const items = [1, 2].map((i) => ({
      outcome: 'kept',
      brands: ['Acme'],
      sentiment: 'neutral',
      title: `Acme ${i}`,
      text: '',
      author: null,
    }))
    const counts = { kept: 2, expired: 0, excluded: 0, unmatched: 0, invalid: 0 }
    const r = { ok: true, fetched: 2, items, counts } as unknown as Parameters<
      typeof SourceTestResult
    >[0]['r']
    const out = html(SourceTestResult({ v, r }))
    expect(out).not.toMatch(/role="status"|aria-live/)
    expect(out).toMatch(
      /<hx-partial hx-target="#source-test-status" hx-swap="innerHTML">2 éléments lus, 2 gardés[^<]*<\/hx-partial>/,
    )
    // items too old to keep are said in the line, not left to read as "no brand matched"
    const old = {
      ...r,
      fetched: 3,
      items: [...items, { ...items[0], outcome: 'expired' }],
      counts: { ...counts, expired: 1 },
    }
    expect(html(SourceTestResult({ v, r: old as unknown as typeof r }))).toMatch(
      /3 éléments lus, 2 gardés, 1 trop ancien pour la durée de conservation\./,
    )
    const failed = { ok: false, fetched: 0, items: [], error: { code: 'timeout', message: 'x' } }
    const err = html(SourceTestResult({ v, r: failed as unknown as typeof r }))
    expect(err).toMatch(
      /hx-target="#source-test-status" hx-swap="innerHTML">La source ne répond pas à temps/,
    )
  })
})

describe('a French page', () => {
  // the source kinds named with English words showed them on French pages (picker, cards, filters)
  it('names the source kinds in French', async () => {
    const out = html(
      await MentionDetailPage({
        v,
        m: row({ source_kind: 'app-store', source_name: 'Avis Brightpath' }),
        events: [],
        triage: {
          values: { status: 'new', assignee: '', note: '', answer_url: '', manual_label: '' },
          errors: {},
        },
      }),
    )
    expect(out).toContain('Avis Brightpath (Avis App Store)')
    expect(kindLabel(v, { id: 'gdelt', label: 'GDELT (world news)' })).toBe(
      'GDELT (actualité mondiale)',
    )
    // a kind with a name of its own keeps it, in both languages
    expect(kindLabel(v, { id: 'mastodon', label: 'Mastodon' })).toBe('Mastodon')
    const en = { ...v, t: translator('en'), locale: 'en' } as ViewCtx
    expect(kindLabel(en, { id: 'app-store', label: 'App Store reviews' })).toBe('App Store reviews')
  })
})

describe('settings menus', () => {
  it('preselect what an empty field means instead of offering a blank choice', async () => {
    const { collectors } = await import('../../collectors')
    const { ConfigField, schemaDefault } = await import('../../views/components')
    const hn = collectors.get('hacker-news')!
    const kinds = hn.fields.find((f) => f.name === 'kinds')!
    const out = html(
      ConfigField({ v, f: kinds, value: '', fallback: schemaDefault(hn.schema, 'kinds') }),
    )
    expect(out).not.toContain('<option value="">')
    expect(out).toMatch(/<option value="all" selected="">/)
    // a stored choice still wins
    const stored = html(ConfigField({ v, f: kinds, value: 'story', fallback: 'all' }))
    expect(stored).toMatch(/<option value="story" selected="">/)
    expect(stored).not.toMatch(/<option value="all" selected/)
  })
})
