// Collectors' warnings said in the page's language (views/source-warning.ts). The capped and
// skipped ones are built by the collectors' own helpers, so a change of wording there shows here.
import { describe, expect, it } from 'vitest'
import { feedWarning } from '../../collectors/rss'
import { joinWarnings, skippedWarning } from '../../collectors/shared'
import { frenchSpacing, translator } from '../../views/i18n'
import { warningText } from '../../views/source-warning'

const fr = { t: translator('fr'), locale: 'fr' as const }
const en = { t: translator('en'), locale: 'en' as const }

describe('warningText', () => {
  const cases: [string, string, string][] = [
    [
      feedWarning('rss', { items: [], listed: 1500, skipped: 0 } as never)!,
      'seuls les 1000 premiers éléments sur 1500 ont été lus',
      'only the first 1000 of 1500 items were read',
    ],
    [
      skippedWarning('gdelt', 1)!,
      '1 élément illisible laissé de côté',
      '1 unreadable item left out',
    ],
    [
      joinWarnings(
        skippedWarning('github', 3),
        'github: GitHub returned incomplete results (timeout)',
      )!,
      '3 éléments illisibles laissés de côté ; GitHub a renvoyé des résultats incomplets (délai dépassé)',
      '3 unreadable items left out; GitHub returned incomplete results (timeout)',
    ],
    [
      'mastodon: piaille.fr does not allow full-text search without a logged-in user: add an access token (hashtags were still collected)',
      'piaille.fr refuse la recherche plein texte sans utilisateur connecté : ajoutez un jeton d’accès (les hashtags ont bien été lus)',
      'piaille.fr refuses full-text search without a signed-in user: add an access token (hashtags were still read)',
    ],
    [
      'stack-exchange: only 12 of 300 daily requests left (an app key raises the limit to 10,000)',
      'plus que 12 requêtes sur 300 aujourd’hui (une clé d’application relève la limite)',
      'only 12 of 300 requests left today (an app key raises the limit)',
    ],
    [
      'youtube: 8500 of 10000 daily API units spent',
      '8500 unités d’API sur 10000 dépensées aujourd’hui',
      '8500 of 10000 daily API units spent',
    ],
    // a warning nobody taught the view is shown as written
    ['lemmy: something new', 'lemmy: something new', 'lemmy: something new'],
  ]
  it.each(cases)('%s', (warning, inFrench, inEnglish) => {
    expect(warningText(fr, warning)).toBe(frenchSpacing(inFrench))
    expect(warningText(en, warning)).toBe(inEnglish)
  })
})
