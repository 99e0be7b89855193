// GDELT DOC 2.0 article search (https://blog.gdeltproject.org/gdelt-doc-2-0-api-debuts/): news in
// 65 languages, the last three months. Bad queries come back as HTTP 200 with a plain-text
// sentence instead of JSON, so we classify those as `config`. GDELT asks for one request every
// five seconds per IP and answers 429 beyond.
import { z } from 'zod'
import { CollectorError } from './http'
import {
  baseUrlField,
  brandTerms,
  httpUrl,
  joinUrl,
  optionalText,
  prefixed,
  quote,
  skippedWarning,
  textOf,
} from './shared'
import { defineCollector, type CollectedItem } from './types'
import { say } from '../server/field-errors'

const ID = 'gdelt'
/** GDELT needs OR'd terms inside parentheses and rejects very long queries. */
const MAX_TERMS = 8
const MAX_RECORDS = 250

const LANGS = {
  french: 'fr',
  english: 'en',
  german: 'de',
  spanish: 'es',
  italian: 'it',
  dutch: 'nl',
  portuguese: 'pt',
} as const

const schema = z
  .object({
    sourceLang: z.enum(['any', ...(Object.keys(LANGS) as (keyof typeof LANGS)[])]).default('any'),
    sourceCountry: z
      .string()
      .regex(
        /^[a-z]{2}$/i,
        say(
          'a two-letter FIPS country code, e.g. FR, SZ (Switzerland)',
          'un code pays FIPS de deux lettres, par exemple FR, SZ (Suisse)',
        ),
      )
      .optional(),
    timespan: z.enum(['1h', '6h', '1d', '3d', '1w']).default('1d'),
    baseUrl: httpUrl().optional(),
  })
  .strict()

// Every field read through `textOf`: a wrong type must cost one article, not the poll.
interface Article {
  url: string
  title: string
  seendate: string
  domain?: string
  language: string
}

/** An article's fields as strings, or undefined without a URL to point at. */
function readArticle(raw: unknown): Article | undefined {
  if (!raw || typeof raw !== 'object') return undefined
  const a = raw as Record<string, unknown>
  const url = textOf(a.url).trim()
  if (!/^https?:\/\//i.test(url)) return undefined
  return {
    url,
    title: textOf(a.title).trim(),
    seendate: textOf(a.seendate).trim(),
    domain: optionalText(a.domain),
    language: textOf(a.language).trim(),
  }
}

/** `20260310T101500Z` → ISO-8601. */
function seenDate(s: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s)
  const iso = m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}.000Z` : undefined
  // 20261399T… matches the pattern but is no date: it must not become the watermark.
  return iso && !Number.isNaN(Date.parse(iso)) ? iso : undefined
}

/** ISO → GDELT's `YYYYMMDDHHMMSS`. */
const gdeltDate = (iso: string) => iso.replace(/[-:T]/g, '').slice(0, 14)

export default defineCollector({
  id: ID,
  label: 'GDELT (world news)',
  description: {
    en: 'Worldwide online news in 65 languages indexed by the GDELT Project, searched for your brands.',
    fr: 'L’actualité en ligne mondiale (65 langues) indexée par le GDELT Project, cherchée pour vos marques.',
  },
  schema,
  fields: [
    {
      name: 'sourceLang',
      type: 'select',
      label: { en: 'Language of the articles', fr: 'Langue des articles' },
      options: [
        { value: 'any', label: { en: 'Any language', fr: 'Toutes les langues' } },
        { value: 'french', label: { en: 'French', fr: 'Français' } },
        { value: 'english', label: { en: 'English', fr: 'Anglais' } },
        { value: 'german', label: { en: 'German', fr: 'Allemand' } },
        { value: 'spanish', label: { en: 'Spanish', fr: 'Espagnol' } },
        { value: 'italian', label: { en: 'Italian', fr: 'Italien' } },
        { value: 'dutch', label: { en: 'Dutch', fr: 'Néerlandais' } },
        { value: 'portuguese', label: { en: 'Portuguese', fr: 'Portugais' } },
      ],
      help: {
        en: 'No key. GDELT only sees titles and URLs, not full text; terms shorter than 3 letters are refused. One request every 5 seconds at most.',
        fr: 'Sans clé. GDELT ne voit que les titres et adresses, pas le texte ; les termes de moins de 3 lettres sont refusés. Une requête toutes les 5 secondes au plus.',
      },
    },
    {
      name: 'sourceCountry',
      type: 'text',
      label: { en: 'Country of the outlets (optional)', fr: 'Pays des médias (facultatif)' },
      placeholder: 'FR',
      help: {
        en: 'FIPS code, not ISO: FR France, SZ Switzerland, BE Belgium, CA Canada, UK United Kingdom.',
        fr: 'Code FIPS, pas ISO : FR France, SZ Suisse, BE Belgique, CA Canada, UK Royaume-Uni.',
      },
    },
    {
      name: 'timespan',
      type: 'select',
      label: { en: 'First look-back', fr: 'Profondeur initiale' },
      options: [
        { value: '1h', label: { en: '1 hour', fr: '1 heure' } },
        { value: '6h', label: { en: '6 hours', fr: '6 heures' } },
        { value: '1d', label: { en: '1 day', fr: '1 jour' } },
        { value: '3d', label: { en: '3 days', fr: '3 jours' } },
        { value: '1w', label: { en: '1 week', fr: '1 semaine' } },
      ],
    },
    baseUrlField('https://api.gdeltproject.org'),
  ],
  defaultInterval: 15 * 60,
  usesBrandQuery: true,
  async collect(ctx, config, state) {
    const base = config.baseUrl ?? 'https://api.gdeltproject.org'
    const terms = brandTerms(ctx.brands, MAX_TERMS)
    if (!terms.length) throw new CollectorError('config', `${ID}: no brand terms to search for`)
    const ors = terms.map(quote).join(' OR ')
    const query = [
      terms.length > 1 ? `(${ors})` : ors,
      config.sourceLang !== 'any' ? `sourcelang:${config.sourceLang}` : '',
      config.sourceCountry ? `sourcecountry:${config.sourceCountry.toUpperCase()}` : '',
    ]
      .filter(Boolean)
      .join(' ')
    const since = typeof state.since === 'string' ? state.since : undefined
    const window = since
      ? { startdatetime: gdeltDate(since), enddatetime: gdeltDate(ctx.now().toISOString()) }
      : { timespan: config.timespan }
    const res = await prefixed(
      ID,
      ctx.http.request({
        url: joinUrl(base, '/api/v2/doc/doc', {
          query,
          mode: 'ArtList',
          format: 'json',
          sort: 'DateDesc',
          maxrecords: MAX_RECORDS,
          ...window,
        }),
        headers: { accept: 'application/json' },
        acceptStatus: [429],
      }),
    )
    if (res.status === 429)
      throw new CollectorError(
        'rate_limited',
        `${ID}: GDELT asks for one request every 5 seconds`,
        429,
        Number(res.headers.get('retry-after')) * 1000 || 5000,
      )
    const body = res.body.trim()
    if (!body.startsWith('{')) {
      // GDELT's way of saying the query is wrong: a sentence, HTTP 200.
      if (body.length > 0 && body.length < 500 && !body.startsWith('<'))
        throw new CollectorError('config', `${ID}: GDELT refused the query "${query}": ${body}`)
      throw new CollectorError('malformed', `${ID}: GDELT did not return JSON`)
    }
    let data: { articles?: Article[] }
    try {
      data = JSON.parse(body)
    } catch {
      throw new CollectorError('malformed', `${ID}: GDELT did not return valid JSON`)
    }
    if (data.articles !== undefined && !Array.isArray(data.articles))
      throw new CollectorError('malformed', `${ID}: unexpected response shape (articles)`)
    let newest = since ?? ''
    const items: CollectedItem[] = []
    let skipped = 0
    for (const raw of data.articles ?? []) {
      const a = readArticle(raw)
      if (!a) {
        skipped++
        continue
      }
      const publishedAt = seenDate(a.seendate)
      // The window is inclusive at the start: drop what the last poll already returned.
      if (since && publishedAt && publishedAt <= since) continue
      if (publishedAt && publishedAt > newest) newest = publishedAt
      items.push({
        externalId: a.url,
        url: a.url,
        title: a.title,
        text: a.title,
        author: a.domain,
        publishedAt,
        lang: LANGS[a.language.toLowerCase() as keyof typeof LANGS],
      })
    }
    return {
      items,
      state: { ...state, since: newest || since },
      warning: skippedWarning(ID, skipped),
    }
  },
})
