// Google News search as RSS (https://news.google.com/rss/search?q=…&hl=…&gl=…&ceid=…; the RSS
// endpoints are undocumented but long-standing). `hl`, `gl` and `ceid` must agree or Google
// silently falls back to US English. Article links are opaque news.google.com redirects that
// change between fetches, so duplicates are folded on title + publisher (`foldKey`), not URL.
import Parser from 'rss-parser'
import { z } from 'zod'
import { CollectorError } from './http'
import { firstFeedItems, parseCapped } from './rss'
import {
  baseUrlField,
  fold,
  httpUrl,
  joinUrl,
  optionalText,
  orQuery,
  prefixed,
  textOf,
} from './shared'
import { defineCollector, type CollectedItem } from './types'

const ID = 'google-news'

/** Edition → the three parameters Google expects together. */
export const EDITIONS = {
  'fr-FR': { hl: 'fr', gl: 'FR', ceid: 'FR:fr', label: 'Français (France)' },
  'fr-CH': { hl: 'fr', gl: 'CH', ceid: 'CH:fr', label: 'Français (Suisse)' },
  'fr-BE': { hl: 'fr', gl: 'BE', ceid: 'BE:fr', label: 'Français (Belgique)' },
  'fr-CA': { hl: 'fr-CA', gl: 'CA', ceid: 'CA:fr', label: 'Français (Canada)' },
  'de-CH': { hl: 'de', gl: 'CH', ceid: 'CH:de', label: 'Deutsch (Schweiz)' },
  'de-DE': { hl: 'de', gl: 'DE', ceid: 'DE:de', label: 'Deutsch (Deutschland)' },
  'en-US': { hl: 'en-US', gl: 'US', ceid: 'US:en', label: 'English (US)' },
  'en-GB': { hl: 'en-GB', gl: 'GB', ceid: 'GB:en', label: 'English (UK)' },
  'en-CA': { hl: 'en-CA', gl: 'CA', ceid: 'CA:en', label: 'English (Canada)' },
} as const
type Edition = keyof typeof EDITIONS

const schema = z
  .object({
    edition: z.enum(Object.keys(EDITIONS) as [Edition, ...Edition[]]).default('fr-FR'),
    window: z.enum(['1h', '1d', '7d']).default('1d'),
    baseUrl: httpUrl().optional(),
  })
  .strict()

type NewsItem = Parser.Item & { source?: string | { _: string; $?: { url?: string } } }
const parser = new Parser<object, NewsItem>({ customFields: { item: [['source', 'source']] } })

export default defineCollector({
  id: ID,
  label: 'Google News',
  description: {
    en: 'Google News search for your brands, in the edition (language and country) you choose.',
    fr: 'Recherche Google Actualités pour vos marques, dans l’édition (langue et pays) choisie.',
  },
  schema,
  fields: [
    {
      name: 'edition',
      type: 'select',
      label: { en: 'Edition', fr: 'Édition' },
      options: Object.entries(EDITIONS).map(([value, e]) => ({
        value,
        label: { en: e.label, fr: e.label },
      })),
      help: {
        en: 'No key. One source per edition: each returns the ~100 most relevant recent articles. Links are Google redirects; duplicates are folded on title + publisher.',
        fr: 'Sans clé. Une source par édition : chacune renvoie les ~100 articles récents les plus pertinents. Les liens passent par Google ; les doublons sont regroupés par titre + média.',
      },
    },
    {
      name: 'window',
      type: 'select',
      label: { en: 'Only articles from the last', fr: 'Seulement les articles des dernières' },
      options: [
        { value: '1h', label: { en: 'hour', fr: 'heure' } },
        { value: '1d', label: { en: 'day', fr: '24 heures' } },
        { value: '7d', label: { en: '7 days', fr: '7 jours' } },
      ],
    },
    baseUrlField('https://news.google.com'),
  ],
  defaultInterval: 30 * 60,
  usesBrandQuery: true,
  async collect(ctx, config, state) {
    const e = EDITIONS[config.edition]
    const q = `${orQuery(ID, ctx.brands)} when:${config.window}`
    const url = joinUrl(config.baseUrl ?? 'https://news.google.com', '/rss/search', {
      q,
      hl: e.hl,
      gl: e.gl,
      ceid: e.ceid,
    })
    const res = await prefixed(
      ID,
      ctx.http.request({
        url,
        headers: { accept: 'application/rss+xml, application/xml;q=0.9, */*;q=0.8' },
        etag: state.etag as string | undefined,
        lastModified: state.lastModified as string | undefined,
      }),
    )
    const nextState = { ...state, etag: res.etag, lastModified: res.lastModified }
    if (res.notModified) return { items: [], state: nextState, notModified: true }
    let parsed: { feed: Parser.Output<NewsItem>; listed?: number }
    try {
      parsed = await parseCapped(parser, res.body)
    } catch (err) {
      const reason = (err as Error).message.split('\n')[0].slice(0, 160)
      throw new CollectorError('malformed', `${ID}: not a valid RSS feed (${reason})`)
    }
    const listed = firstFeedItems(ID, parsed)
    const items: CollectedItem[] = []
    for (const it of listed.items) {
      // textOf: an attribute or a child element turns a field into an object (see shared.ts)
      const publisher = optionalText(it.source)
      let title = textOf(it.title).trim()
      // Titles end with " - Publisher"; the publisher is metadata, not part of the headline.
      if (publisher && title.endsWith(` - ${publisher}`))
        title = title.slice(0, -(publisher.length + 3)).trim()
      items.push({
        externalId: optionalText(it.guid),
        url: textOf(it.link).trim(),
        title,
        text: textOf(it.content) || textOf(it.contentSnippet),
        author: publisher,
        publishedAt: optionalText(it.isoDate),
        lang: e.hl.slice(0, 2),
        foldKey: `${fold(title)}|${fold(publisher ?? '')}`,
      })
    }
    return { items, state: nextState, warning: listed.warning }
  },
})
