// The bundled demo data set: two fictional brands (Telvia, a French mobile operator; Brightpath,
// an English banking app), texts written for the demo, and a generator that spreads them over two
// weeks with a daily rhythm and a burst of negative comments (Telvia's network outage).
// All addresses use reserved example domains; no real person or company is named.
import { mulberry32 } from '../random'

export interface DemoSource {
  name: string
  kind: string
  config: Record<string, unknown>
  brand?: string
  host: string
  authorStyle: 'handle' | 'name' | 'none'
}

export const demoBrands = [
  { name: 'Telvia', query: 'Telvia OR "Telvia Mobile" OR #telvia -"Telvia Street"' },
  { name: 'Brightpath', query: '"Brightpath" OR "Brightpath Bank" OR brightpathapp' },
]

export const demoSources: DemoSource[] = [
  {
    name: 'Google News FR',
    kind: 'google-news',
    config: { edition: 'fr-FR', window: '1d' },
    host: 'actu.example.fr',
    authorStyle: 'none',
  },
  {
    name: 'Forum Conso',
    kind: 'rss',
    config: { url: 'https://forum-conso.example.fr/feed.xml' },
    host: 'forum-conso.example.fr',
    authorStyle: 'handle',
  },
  {
    name: 'Mastodon #telvia',
    kind: 'mastodon',
    config: { instance: 'https://mastodon.example', hashtags: 'telvia', search: false },
    host: 'mastodon.example',
    authorStyle: 'handle',
  },
  {
    name: 'Hacker News',
    kind: 'hacker-news',
    config: { kinds: 'all' },
    host: 'news.ycombinator.example',
    authorStyle: 'handle',
  },
  {
    name: 'Tech press',
    kind: 'rss',
    config: { url: 'https://techpress.example.com/feed' },
    host: 'techpress.example.com',
    authorStyle: 'name',
  },
  {
    name: 'App Store reviews',
    kind: 'app-store',
    config: { appId: '1234567890', country: 'fr' },
    brand: 'Brightpath',
    host: 'apps.example.com',
    authorStyle: 'handle',
  },
]

type Tone = 'pos' | 'neu' | 'neg'
interface Template {
  brand: 'Telvia' | 'Brightpath'
  tone: Tone
  lang: 'fr' | 'en'
  title: string
  text: string
  sources: string[]
}

const T = (
  brand: Template['brand'],
  lang: Template['lang'],
  tone: Tone,
  sources: string[],
  title: string,
  text: string,
): Template => ({
  brand,
  lang,
  tone,
  sources,
  title,
  text,
})
const FR_NEWS = ['Google News FR', 'Forum Conso']
const FR_SOCIAL = ['Mastodon #telvia', 'Forum Conso']
const EN_NEWS = ['Tech press', 'Hacker News']
const EN_SOCIAL = ['Hacker News', 'App Store reviews']

export const templates: Template[] = [
  T(
    'Telvia',
    'fr',
    'pos',
    FR_NEWS,
    'Telvia étend la 5G à 300 nouvelles communes',
    'L’opérateur Telvia annonce une couverture 5G étendue à 300 communes rurales, une très bonne nouvelle pour les habitants.',
  ),
  T(
    'Telvia',
    'fr',
    'pos',
    FR_SOCIAL,
    '',
    'Franchement bravo au service client Telvia, problème réglé en dix minutes et super aimables 👍',
  ),
  T(
    'Telvia',
    'fr',
    'pos',
    FR_SOCIAL,
    '',
    'Passée chez Telvia Mobile il y a un mois : réseau excellent, facture claire, je recommande !',
  ),
  T(
    'Telvia',
    'fr',
    'pos',
    FR_NEWS,
    'Classement des opérateurs : Telvia en tête pour la satisfaction',
    'Selon une enquête, les clients de Telvia sont les plus satisfaits du marché cette année.',
  ),
  T(
    'Telvia',
    'fr',
    'pos',
    FR_SOCIAL,
    '',
    'Le nouveau forfait #telvia à 9,99 € est vraiment génial pour les étudiants.',
  ),
  T(
    'Telvia',
    'fr',
    'neu',
    FR_NEWS,
    'Telvia présente ses résultats trimestriels',
    'Telvia publie un chiffre d’affaires stable et confirme ses objectifs pour l’année.',
  ),
  T(
    'Telvia',
    'fr',
    'neu',
    FR_SOCIAL,
    '',
    'Quelqu’un sait si Telvia propose l’eSIM sur les montres connectées ?',
  ),
  T(
    'Telvia',
    'fr',
    'neu',
    FR_NEWS,
    'Telvia nomme une nouvelle directrice de la communication',
    'La nomination prendra effet le mois prochain, précise Telvia dans un communiqué.',
  ),
  T(
    'Telvia',
    'fr',
    'neu',
    FR_SOCIAL,
    '',
    'Je compare les offres fibre de Telvia et des autres opérateurs, vous avez des retours ?',
  ),
  T(
    'Telvia',
    'fr',
    'neu',
    FR_NEWS,
    'Telvia ouvre une boutique à Lausanne',
    'L’opérateur Telvia inaugure sa première boutique en Suisse romande.',
  ),
  T(
    'Telvia',
    'fr',
    'neg',
    FR_SOCIAL,
    '',
    'Trois semaines que j’attends mon remboursement chez Telvia, service client injoignable. Honteux.',
  ),
  T(
    'Telvia',
    'fr',
    'neg',
    FR_SOCIAL,
    '',
    'Encore une facture Telvia avec des frais cachés… c’est une arnaque.',
  ),
  T(
    'Telvia',
    'fr',
    'neg',
    FR_NEWS,
    'Des clients de Telvia dénoncent des hausses de prix',
    'Plusieurs abonnés de Telvia se plaignent d’une hausse de tarif non annoncée.',
  ),
  T(
    'Telvia',
    'fr',
    'neg',
    FR_SOCIAL,
    '',
    'Le débit de Telvia Mobile est vraiment nul ce soir, impossible de regarder une vidéo.',
  ),
  T(
    'Telvia',
    'en',
    'neu',
    EN_NEWS,
    'Telvia signs roaming deal with Nordic carriers',
    'French operator Telvia announced a roaming agreement covering four Nordic countries.',
  ),
  T(
    'Brightpath',
    'en',
    'pos',
    EN_SOCIAL,
    '',
    'Brightpath’s new budgeting feature is excellent — finally an app that makes saving easy.',
  ),
  T(
    'Brightpath',
    'en',
    'pos',
    EN_SOCIAL,
    'Great app',
    'Brightpath Bank support fixed my card issue in minutes. Love it!',
  ),
  T(
    'Brightpath',
    'en',
    'pos',
    EN_NEWS,
    'Brightpath wins fintech award for accessibility',
    'Brightpath was praised for an app that works well with screen readers.',
  ),
  T(
    'Brightpath',
    'en',
    'pos',
    EN_SOCIAL,
    '',
    'Switched to Brightpath last month, instant notifications are brilliant and fees are fair.',
  ),
  T(
    'Brightpath',
    'en',
    'neu',
    EN_NEWS,
    'Brightpath to open API for third-party apps',
    'Brightpath said developers will be able to request access to its open banking API next quarter.',
  ),
  T(
    'Brightpath',
    'en',
    'neu',
    EN_SOCIAL,
    '',
    'Does the Brightpath app support joint accounts yet?',
  ),
  T(
    'Brightpath',
    'en',
    'neu',
    EN_NEWS,
    'Brightpath reports 2 million users',
    'The company behind the Brightpath app reported two million active users in its annual letter.',
  ),
  T(
    'Brightpath',
    'en',
    'neu',
    EN_SOCIAL,
    '',
    'Comparing Brightpath and other mobile banks for a trip abroad, any advice?',
  ),
  T(
    'Brightpath',
    'en',
    'neg',
    EN_SOCIAL,
    'Terrible update',
    'The latest Brightpath update keeps crashing on login. Useless until they fix it.',
  ),
  T(
    'Brightpath',
    'en',
    'neg',
    EN_SOCIAL,
    '',
    'Brightpath froze my account for a week with no explanation. Awful customer service.',
  ),
  T(
    'Brightpath',
    'en',
    'neg',
    EN_NEWS,
    'Brightpath customers report failed transfers',
    'Some Brightpath users said transfers failed on Monday; the bank apologised for the disruption.',
  ),
  T(
    'Brightpath',
    'fr',
    'pos',
    FR_SOCIAL,
    '',
    'L’appli Brightpath est vraiment pratique pour gérer mon budget, bravo.',
  ),
  T(
    'Brightpath',
    'fr',
    'neg',
    FR_SOCIAL,
    '',
    'Brightpath bloque ma carte sans prévenir, c’est inadmissible.',
  ),
]

/** The outage: negative comments that arrive in a burst. */
export const burstTemplates: Template[] = [
  T(
    'Telvia',
    'fr',
    'neg',
    FR_SOCIAL,
    '',
    'Panne réseau Telvia depuis ce matin, plus d’internet ni d’appels. Inadmissible !',
  ),
  T(
    'Telvia',
    'fr',
    'neg',
    FR_SOCIAL,
    '',
    '@Telvia toujours aucun réseau à Lyon, c’est une blague ? #telvia #panne',
  ),
  T(
    'Telvia',
    'fr',
    'neg',
    FR_SOCIAL,
    '',
    'Panne Telvia : impossible de joindre le service client, ligne saturée. Lamentable.',
  ),
  T(
    'Telvia',
    'fr',
    'neg',
    FR_NEWS,
    'Panne géante chez Telvia : des milliers de clients privés de réseau',
    'Une panne touche le réseau mobile de Telvia dans plusieurs régions ; l’opérateur n’a pas encore donné d’explication.',
  ),
  T(
    'Telvia',
    'fr',
    'neg',
    FR_SOCIAL,
    '',
    'Je veux être remboursé pour cette panne Telvia, je ne peux pas travailler !!!',
  ),
  T(
    'Telvia',
    'fr',
    'neg',
    FR_SOCIAL,
    '',
    'Telvia Mobile en panne, aucune communication officielle, c’est honteux.',
  ),
  T('Telvia', 'fr', 'neg', FR_SOCIAL, '', 'Pas de réseau Telvia à Genève non plus. Quel désastre.'),
  T(
    'Telvia',
    'fr',
    'neg',
    FR_SOCIAL,
    '',
    'Je résilie mon abonnement Telvia après cette panne, ras le bol.',
  ),
  T(
    'Telvia',
    'en',
    'neg',
    EN_NEWS,
    'Telvia outage hits mobile users across France',
    'Customers of French operator Telvia reported a major network outage on Thursday.',
  ),
]

const FIRST = [
  'camille',
  'lucas',
  'chloe',
  'hugo',
  'lea',
  'nathan',
  'manon',
  'jules',
  'sarah',
  'tom',
  'emma',
  'noah',
  'olivia',
  'liam',
  'ava',
  'ethan',
]

export interface DemoItem {
  source: string
  at: Date
  externalId: string
  url: string
  title: string
  text: string
  author?: string
  metrics: Record<string, number>
}

/** Two weeks of items ending at `now`, plus the outage burst that began `burstHoursAgo` hours ago
 * (still under way, so a newcomer sees an open alert). */
export function generateDemoItems(now: Date, seed = 42, burstHoursAgo = 2.5): DemoItem[] {
  const rand = mulberry32(seed) // the same demo every time
  const pick = <X>(xs: X[]) => xs[Math.floor(rand() * xs.length)]
  const items: DemoItem[] = []
  const start = now.getTime() - 14 * 86400_000
  let n = 0
  const emit = (tpl: Template, at: number) => {
    const wanted = pick(tpl.sources)
    const source = demoSources.find((s) => s.name === wanted)!
    const id = `demo-${++n}`
    const who = `${pick(FIRST)}${Math.floor(rand() * 90 + 10)}`
    items.push({
      source: source.name,
      at: new Date(at),
      externalId: id,
      url: `https://${source.host}/${tpl.title ? 'articles' : '@' + who}/${id}`,
      title: tpl.title,
      text: tpl.text,
      author:
        source.authorStyle === 'handle'
          ? `@${who}`
          : source.authorStyle === 'name'
            ? who[0].toUpperCase() + who.slice(1, -2)
            : undefined,
      metrics: {
        likes: Math.floor(rand() ** 3 * 400),
        replies: Math.floor(rand() ** 3 * 60),
        reposts: Math.floor(rand() ** 4 * 120),
      },
    })
  }
  // Background chatter with a day/night rhythm: about 45 mentions a day in all.
  for (let t = start; t < now.getTime(); t += 15 * 60_000) {
    const hour = new Date(t).getUTCHours()
    const rate = hour >= 6 && hour <= 21 ? 0.62 : 0.12
    if (rand() < rate) {
      const tpl = pick(templates)
      emit(tpl, t + Math.floor(rand() * 15 * 60_000))
    }
  }
  // The outage: ~70 negative mentions over three hours, ramping up then fading.
  const burstStart = now.getTime() - burstHoursAgo * 3600_000
  for (let i = 0; i < 70; i++) {
    const offset = Math.floor(3 * 3600_000 * Math.sqrt(rand()))
    emit(pick(burstTemplates), burstStart + offset)
  }
  // Only what is published by now: a burst still under way has its later part in the future.
  return items
    .filter((it) => it.at.getTime() <= now.getTime())
    .sort((a, b) => a.at.getTime() - b.at.getTime())
}
