// The feed card is an html`` template (for speed): every field that comes from a mention, a
// brand, a source or the search box must come out escaped, in text and in attributes alike.
import { describe, expect, it } from 'vitest'
import type { MentionRow } from '../../db/mentions'
import { formatter, translator } from '../../views/i18n'
import { MentionItem, languageLabel } from '../../views/partials/mention-list'
import type { ViewCtx } from '../../views/view-context'
import { mentionRow } from '../helpers/mention-row'

const base = { t: translator('fr'), fmt: formatter('fr', 'Europe/Paris'), locale: 'fr' }
const as = (role: 'viewer' | 'responder') =>
  ({ ...base, user: { id: 1, email: 'x@y.example', name: 'X', role } }) as ViewCtx
const v = as('responder')
const EVIL = `"><script>alert(1)</script><img src=x onerror=alert(2)>'`

const row = mentionRow

describe('MentionItem escaping', () => {
  const fields: [string, Partial<MentionRow>, string?][] = [
    ['title', { title: `Acme ${EVIL}` }],
    ['text', { text: `Acme ${EVIL}` }],
    ['author', { author: EVIL }],
    ['assignee', { assignee: EVIL }],
    ['brand name', { brand_name: EVIL }],
    ['source name', { source_name: EVIL }],
    ['matched term', { matched_terms: JSON.stringify([EVIL]) }],
    ['language', { lang: EVIL }],
    ['url (attribute)', { url: `https://x.example/${EVIL}` }],
    ['search words', {}, EVIL],
  ]
  for (const [name, over, q] of fields)
    it(`escapes the ${name}`, () => {
      const out = String(MentionItem({ v, m: row(over), q, selectable: true }))
      expect(out).not.toContain('<script>')
      expect(out).not.toContain('<img')
      expect(out).not.toMatch(/"><script/)
      expect(out).toContain('&lt;script&gt;')
    })

  it('marks matches in the title and text, and keeps the triage form', () => {
    const out = String(MentionItem({ v, m: row({ title: 'Panne chez Acme' }), q: 'panne' }))
    expect(out).toContain('<mark>Panne</mark> chez <mark>Acme</mark>')
    expect(out).toContain('<option value="new" selected="">nouvelle</option>')
    expect(out).toContain('hx-post="/mentions/7/triage"')
    expect(out).toContain('<input type="hidden" name="q" value="panne"/>')
    expect(out).not.toContain('name="ids"')
  })
})

describe('MentionItem for a viewer', () => {
  it('shows the mention without triage controls (the server would refuse them)', () => {
    const html = String(MentionItem({ v: as('viewer'), m: row({}), selectable: true }))
    expect(html).toContain('href="https://news.example/a"')
    expect(html).not.toContain('class="quick"')
    expect(html).not.toContain('type="checkbox"')
    const responder = String(MentionItem({ v, m: row({}), selectable: true }))
    expect(responder).toContain('class="quick"')
    expect(responder).toContain('hx-trigger="change delay:700ms"')
  })
})

describe('languageLabel', () => {
  const en = { t: translator('en'), locale: 'en' as const }
  it.each([
    [base, 'fr', 'Français'],
    [base, 'en', 'Anglais'],
    [en, 'fr', 'French'],
    [base, 'other', 'Autre langue'],
    [en, 'other', 'Other language'],
    // a code a source sent that Intl cannot name, or cannot read at all, is shown as it came
    [base, 'qaa', 'qaa'],
    [base, 'pas une langue', 'pas une langue'],
  ])('%#: %s', (ctx, code, shown) =>
    expect(languageLabel(ctx as Pick<ViewCtx, 't' | 'locale'>, code)).toBe(shown),
  )
})
