// Translations: plural forms follow each locale's rules (French treats 0 and 1 as singular,
// English only 1), variables are filled in, and a key without a plural form keeps its one text.
import { describe, expect, it } from 'vitest'
import { pickLocale, translator, type Locale } from '../../views/i18n'

describe('translator plurals', () => {
  const cases: [Locale, Parameters<ReturnType<typeof translator>>, string][] = [
    ['fr', ['alerts.banner', { count: 0 }], '0 alerte en cours'],
    ['fr', ['alerts.banner', { count: 1 }], '1 alerte en cours'],
    ['fr', ['alerts.banner', { count: 2 }], '2 alertes en cours'],
    ['en', ['alerts.banner', { count: 0 }], '0 active alerts'],
    ['en', ['alerts.banner', { count: 1 }], '1 active alert'],
    ['en', ['alerts.banner', { count: 12 }], '12 active alerts'],
    ['fr', ['triage.bulkDone', { n: 1 }], '1 mention mise à jour.'],
    ['fr', ['triage.bulkDone', { n: 3 }], '3 mentions mises à jour.'],
    ['en', ['delivery.attempts', { n: 1 }], '1 attempt'],
    ['en', ['delivery.attempts', { n: 5 }], '5 attempts'],
    ['fr', ['sourcesx.warnings', { n: '1' }], '1 avertissement'],
    ['fr', ['onboarding.title'], 'Bienvenue dans Vigie'],
    // a post with one like, a brand with one negative mention waiting (alert page, digest)
    ['en', ['digest.engagement', { n: '1' }], '1 interaction'],
    ['en', ['digest.engagement', { n: '12' }], '12 interactions'],
    ['fr', ['digest.engagement', { n: '1' }], '1 interaction'],
    ['en', ['digest.waitingAll', { n: '1' }], 'See the negative mention awaiting an answer'],
    ['en', ['digest.waitingAll', { n: '4' }], 'See the 4 negatives awaiting an answer'],
    ['fr', ['digest.waitingAll', { n: '1' }], 'Voir la négative en attente de réponse'],
    // a feed holding one item when 'Test source' is pressed
    ['fr', ['sources.testRead', { count: 1 }], '1 élément lu'],
    ['fr', ['sources.testKept', { count: 1 }], '1 gardé'],
    ['fr', ['sources.testKept', { count: 3 }], '3 gardés'],
    ['en', ['sources.testRead', { count: 1 }], '1 item read'],
    ['en', ['sources.testRead', { count: 5 }], '5 items read'],
  ]
  it.each(cases)('%s %j → %s', (locale, args, expected) =>
    expect(translator(locale)(...args)).toBe(expected),
  )
})

describe('pickLocale', () => {
  it.each([
    ['en', 'fr-FR', 'en'],
    [undefined, 'de-CH, en;q=0.8, fr;q=0.9', 'fr'],
    [undefined, 'en-CA', 'en'],
    [undefined, 'de', 'fr'],
    ['xx', undefined, 'fr'],
  ] as const)('cookie %s, Accept-Language %s → %s', (cookie, header, expected) =>
    expect(pickLocale(cookie, header)).toBe(expected),
  )
})
