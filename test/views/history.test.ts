// A mention's history reads as a sentence in either language: triage changes with the language's
// colon, mutes with what was muted.
import { describe, expect, it } from 'vitest'
import type { MentionEvent } from '../../db/schema-triage'
import { formatter, frenchSpacing, type Locale, translator } from '../../views/i18n'
import { History } from '../../views/pages/mentions'
import type { ViewCtx } from '../../views/view-context'

const ctx = (locale: Locale) =>
  ({ t: translator(locale), fmt: formatter(locale, 'Europe/Paris'), locale }) as ViewCtx
const ev = (field: string, old_value: string | null, new_value: string | null) =>
  ({
    id: 1,
    mention_id: 1,
    at: '2026-11-22T10:00:00Z',
    actor: 'Léa',
    field,
    old_value,
    new_value,
  }) as MentionEvent
const text = (locale: Locale, e: MentionEvent) =>
  String(History({ v: ctx(locale), events: [e] }))
    .replace(/<[^>]+>/g, '')
    .replace(/.*— /, '')

describe('History', () => {
  it.each([
    ['fr', ev('status', 'new', 'in_progress'), frenchSpacing('Léa statut : nouvelle → en cours')],
    ['en', ev('status', 'new', 'in_progress'), 'Léa status: new → in progress'],
    ['fr', ev('muted', null, 'author @chloe36'), 'Léa a masqué l’auteur @chloe36'],
    ['en', ev('unmuted', null, 'domain'), 'Léa unmuted the domain'],
    ['fr', ev('unmuted', null, 'author'), 'Léa a rétabli l’auteur'],
  ] as const)('%s: %j', (locale, e, expected) => {
    expect(text(locale, e).replace(/&#39;|’/g, '’')).toBe(expected)
  })
})
