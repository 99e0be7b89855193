// Apple App Store customer reviews of one app in one country, from the iTunes RSS generator's JSON
// form (https://itunes.apple.com/{country}/rss/customerreviews/page=1/id={appId}/sortby=mostrecent/json;
// see https://developer.apple.com/forums/thread/686810). Up to 10 pages of 50 reviews. Every review
// is about the app, so this source does not search: give the source a brand and every review is
// attributed to it (attributesToBrand).
import { z } from 'zod'
import { baseUrlField, expectShape, httpUrl, joinUrl, metrics, prefixed, toIso } from './shared'
import { defineCollector, type CollectedItem } from './types'
import { say } from '../server/field-errors'

const ID = 'app-store'
const MAX_PAGES = 3

const schema = z
  .object({
    appId: z
      .string()
      .regex(
        /^\d{5,12}$/,
        say(
          'the digits after "id" in the App Store link',
          'les chiffres après « id » dans le lien App Store',
        ),
      ),
    country: z
      .string()
      .regex(
        /^[a-z]{2}$/i,
        say(
          'a two-letter country code such as fr, ch, us',
          'un code pays de deux lettres, par exemple fr, ch, ca',
        ),
      )
      .default('fr')
      .transform((c) => c.toLowerCase()),
    baseUrl: httpUrl().optional(),
  })
  .strict()

type Label = { label?: string; attributes?: Record<string, string> }
interface Entry {
  id?: Label
  title?: Label
  content?: Label
  updated?: Label
  author?: { name?: Label; uri?: Label }
  'im:rating'?: Label
  'im:version'?: Label
  'im:voteSum'?: Label
  'im:voteCount'?: Label
  link?: Label | Label[]
}

const num = (l: Label | undefined) => (l?.label !== undefined ? Number(l.label) : undefined)

export default defineCollector({
  id: ID,
  label: 'App Store reviews',
  description: {
    en: 'Customer reviews of an iPhone/iPad app in one App Store country, with their star rating.',
    fr: 'Avis clients d’une application iPhone/iPad dans un pays de l’App Store, avec leur note.',
  },
  schema,
  fields: [
    {
      name: 'appId',
      type: 'text',
      required: true,
      label: { en: 'App id', fr: 'Identifiant de l’app' },
      placeholder: '310633997',
      help: {
        en: 'The digits after "id" in the app’s link (apps.apple.com/fr/app/…/id310633997). No key.',
        fr: 'Les chiffres après « id » dans le lien de l’app (apps.apple.com/fr/app/…/id310633997). Sans clé.',
      },
    },
    {
      name: 'country',
      type: 'text',
      label: { en: 'Country', fr: 'Pays' },
      placeholder: 'fr',
      help: {
        en: 'Reviews are per storefront: add one source per country (fr, ch, be, ca, us…). Apple serves at most the 500 most recent.',
        fr: 'Les avis sont propres à chaque pays : une source par pays (fr, ch, be, ca, us…). Apple ne sert que les 500 plus récents.',
      },
    },
    baseUrlField('https://itunes.apple.com'),
  ],
  defaultInterval: 60 * 60,
  usesBrandQuery: false,
  attributesToBrand: true,
  async collect(ctx, config, state) {
    const base = config.baseUrl ?? 'https://itunes.apple.com'
    const since = typeof state.since === 'string' ? state.since : ''
    const known = new Set((state.seen as string[] | undefined) ?? [])
    const items: CollectedItem[] = []
    let newest = since
    let newestIds = new Set(known)
    for (let page = 1; page <= MAX_PAGES; page++) {
      const { data, response } = await prefixed(
        ID,
        ctx.http.json<{ feed?: { entry?: Entry | Entry[] } }>({
          url: joinUrl(
            base,
            `/${config.country}/rss/customerreviews/page=${page}/id=${config.appId}/sortby=mostrecent/json`,
          ),
          etag: page === 1 ? (state.etag as string | undefined) : undefined,
        }),
      )
      if (page === 1 && response.notModified) return { items: [], state, notModified: true }
      if (page === 1) state = { ...state, etag: response.etag }
      expectShape(data && typeof data === 'object' && data.feed, ID, 'no feed')
      // A single review comes back as an object, none as a missing key.
      const entries = data.feed.entry === undefined ? [] : [data.feed.entry].flat()
      let reachedOld = entries.length < 50
      for (const e of entries) {
        const id = e.id?.label
        const at = toIso(e.updated?.label)
        // Old feeds put the app itself first, without a rating.
        if (!id || !at || !e['im:rating']) continue
        if (at < since || (at === since && known.has(id))) {
          reachedOld = true
          continue
        }
        if (at > newest) {
          newest = at
          newestIds = new Set()
        }
        if (at === newest) newestIds.add(id)
        const rating = num(e['im:rating'])
        const links = [e.link ?? []].flat()
        items.push({
          externalId: id,
          url:
            links.find((l) => l.attributes?.href)?.attributes?.href ??
            `https://apps.apple.com/${config.country}/app/id${config.appId}?see-all=reviews`,
          title: e.title?.label ?? '',
          text: e.content?.label ?? '',
          author: e.author?.name?.label,
          publishedAt: at,
          rating: rating && rating >= 1 && rating <= 5 ? rating : undefined,
          metrics: metrics({ votes: num(e['im:voteCount']), helpful: num(e['im:voteSum']) }),
        })
      }
      if (reachedOld) break
    }
    return { items, state: { ...state, since: newest || undefined, seen: [...newestIds] } }
  },
})
