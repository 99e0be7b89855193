// A mention's engagement figures on its page: named in the UI's language, unknown names as sent,
// unreadable or empty figures as a dash.
import { describe, expect, it } from 'vitest'
import { formatter, translator } from '../../views/i18n'
import { engagementText } from '../../views/pages/mentions'
import type { ViewCtx } from '../../views/view-context'

const ctx = (locale: 'fr' | 'en') =>
  ({ t: translator(locale), fmt: formatter(locale, 'Europe/Paris'), locale }) as ViewCtx

describe('engagementText', () => {
  const cases: [string, 'fr' | 'en', string | null, string][] = [
    [
      'Mastodon, in French',
      'fr',
      '{"replies":2,"reblogs":6,"favourites":1200}',
      'réponses 2 · partages 6 · favoris 1\u202f200', // French groups with a narrow no-break space
    ],
    [
      'Mastodon, in English',
      'en',
      '{"replies":2,"reblogs":6,"favourites":1200}',
      'replies 2 · boosts 6 · favourites 1,200',
    ],
    ['YouTube comment', 'fr', '{"likes":0,"replies":3}', 'j’aime 0 · réponses 3'],
    ['a name no translation knows', 'fr', '{"sparkles":5,"score":12}', 'sparkles 5 · score 12'],
    ['a pushed name it knows', 'fr', '{"shares":5,"stars":2}', 'partages 5 · étoiles 2'],
    ['non-numeric values left out', 'en', '{"likes":"many","views":10}', 'views 10'],
    ['nothing reported', 'fr', null, '—'],
    ['unreadable', 'fr', 'not json', '—'],
  ]
  for (const [name, locale, metrics, want] of cases)
    it(name, () => expect(engagementText(ctx(locale), metrics)).toBe(want))
})
