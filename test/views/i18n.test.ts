// Translations: plural forms follow each locale's rules (French treats 0 and 1 as singular,
// English only 1), variables are filled in, and a key without a plural form keeps its one text.
import { describe, expect, it } from 'vitest'
import {
  formatter,
  frenchSpacing,
  inLocale,
  pickLocale,
  pickZone,
  translator,
  type Locale,
} from '../../views/i18n'
import { fr } from '../../views/i18n/fr'

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

// French puts a space before `: ; ? !` and inside « »; it must not break there, or a line starts
// with the punctuation (narrow no-break before `; ? !`, no-break before `:`).
describe('French typography', () => {
  it.each([
    ['Dernière purge : hier', 'Dernière purge\u00a0: hier'],
    ['supprimées ; les comptages', 'supprimées\u202f; les comptages'],
    ['l’exclure ?', 'l’exclure\u202f?'],
    ['Bienvenue !', 'Bienvenue\u202f!'],
    ['« Lecture » lit', '«\u00a0Lecture\u00a0» lit'],
    // no space, no change: a header name, a URL, a time, an English-style colon
    ['Authorization: Bearer', 'Authorization: Bearer'],
    ['https://exemple.fr à 23:40', 'https://exemple.fr à 23:40'],
  ])('%j → %j', (input, expected) => expect(frenchSpacing(input)).toBe(expected))

  it('leaves no breakable space before French punctuation anywhere in the French catalogue', () => {
    const t = translator('fr')
    const bad = Object.keys(fr)
      .map((k) => [k, t(k as keyof typeof fr, { n: 2, count: 2 })])
      .filter(([, v]) => / [:;?!»]|« /.test(v))
    expect(bad).toEqual([])
    expect(t('privacy.erased', { n: 2 })).toContain('effacées\u202f; l’auteur')
  })

  it('applies to the plugins’ and pages’ own two-language texts', () => {
    const text = { en: 'Bluesky posts: search', fr: 'Messages Bluesky : recherche' }
    expect(inLocale(text, 'fr')).toBe('Messages Bluesky\u00a0: recherche')
    expect(inLocale(text, 'en')).toBe('Bluesky posts: search')
  })
})

describe('pickZone', () => {
  it.each([
    [undefined, 'Europe/Paris'],
    ['America/Toronto', 'America/Toronto'],
    ['America/Toronto', 'America/Toronto'], // again: from the set of zones already checked
    ['Mars/Olympus', 'Europe/Paris'],
    ['Mars/Olympus', 'Europe/Paris'], // a refused name is not remembered as valid
    [`Europe/${'x'.repeat(64)}`, 'Europe/Paris'],
  ])('%j → %s', (cookie, want) => expect(pickZone(cookie, 'Europe/Paris')).toBe(want))
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

// "hier" and "avant-hier" name calendar days in the zone the page shows (the footer names it), not
// periods of 24 hours: at 06:00 in Montréal, 23:00 the day before yesterday is "avant-hier". Around
// a DST change a local day lasts 23 or 25 hours.
describe('relative times', () => {
  const cases: [Locale, string, string, string, string][] = [
    // [locale, zone, now, instant, expected]
    ['fr', 'America/Toronto', '2026-11-23T11:00:00Z', '2026-11-23T09:00:00Z', 'il y a 2 heures'],
    ['fr', 'America/Toronto', '2026-11-23T11:00:00Z', '2026-11-23T10:59:30Z', 'il y a 30 secondes'],
    // Sat 21 Nov 23:00 → Mon 23 Nov 06:00 (31 h)
    ['fr', 'America/Toronto', '2026-11-23T11:00:00Z', '2026-11-22T04:00:00Z', 'avant-hier'],
    ['en', 'America/Toronto', '2026-11-23T11:00:00Z', '2026-11-22T04:00:00Z', '2 days ago'],
    // Sun 22 Nov 05:00 → Mon 23 Nov 06:00 (25 h)
    ['fr', 'America/Toronto', '2026-11-23T11:00:00Z', '2026-11-22T10:00:00Z', 'hier'],
    // the same instants read in Geneva: Sun 05:00 → Mon 12:00
    ['fr', 'Europe/Zurich', '2026-11-23T11:00:00Z', '2026-11-22T04:00:00Z', 'hier'],
    // Sun 1 Nov 00:10 EDT → Sun 1 Nov 23:30 EST: 24 h 20 min, still the same day (25-hour day)
    ['fr', 'America/Toronto', '2026-11-02T04:30:00Z', '2026-11-01T04:10:00Z', 'il y a 24 heures'],
    // Sat 28 Mar 23:30 CET → Mon 30 Mar 08:00 CEST (31 h 30 min, across the 23-hour Sunday)
    ['fr', 'Europe/Zurich', '2026-03-30T06:00:00Z', '2026-03-28T22:30:00Z', 'avant-hier'],
    // Tue 24 Nov 23:30 at 06:00 on Monday: 41 h 30 min ahead, tomorrow
    ['fr', 'America/Toronto', '2026-11-23T11:00:00Z', '2026-11-25T04:30:00Z', 'demain'],
    // Sat 7 Mar 22:00 EST → Mon 9 Mar 07:00 EDT (32 h, across the 23-hour Sunday)
    ['fr', 'America/Toronto', '2026-03-09T11:00:00Z', '2026-03-08T03:00:00Z', 'avant-hier'],
    ['fr', 'America/Toronto', '2026-11-23T11:00:00Z', '2026-11-13T11:00:00Z', 'il y a 10 jours'],
  ]
  it.each(cases)('%s %s: now %s, %s → %s', (locale, tz, now, iso, expected) =>
    expect(formatter(locale, tz).relative(iso, new Date(now))).toBe(expected),
  )
})
