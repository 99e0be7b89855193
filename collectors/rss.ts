// RSS 2.0, Atom 1.0 (RFC 4287) and RSS 1.0/RDF feeds through rss-parser, with conditional GET so an
// unchanged feed costs one 304. Items keep the feed's own guid/id as their identity.
import Parser from 'rss-parser'
import { z } from 'zod'
import { CollectorError } from './http'
import { httpUrl } from './shared'
import { defineCollector, type CollectedItem } from './types'
import { say } from '../server/field-errors'

const parser = new Parser({
  customFields: {
    item: [
      ['dc:creator', 'creator'],
      ['author', 'author'],
    ],
  },
})

type FeedItem = Parser.Item & { id?: string; author?: unknown; creator?: string }

export const rssConfig = z
  .object({
    url: httpUrl(
      say(
        'a feed address starting with http:// or https://',
        'une adresse de flux commençant par http:// ou https://',
      ),
    ),
  })
  .strict()

/** Parses feed XML and maps it to collected items; exported for collectors built on feeds. */
export async function parseFeed(
  xml: string,
  url: string,
): Promise<{ title: string; items: CollectedItem[] }> {
  let feed: Parser.Output<FeedItem>
  try {
    feed = await parser.parseString(xml)
  } catch (err) {
    const reason = (err as Error).message.split('\n')[0].slice(0, 160)
    throw new CollectorError('malformed', `${url} is not a valid RSS/Atom feed (${reason})`)
  }
  const items: CollectedItem[] = []
  // Some feeds repeat a guid (an edited post re-published); the first occurrence wins.
  const seen = new Set<string>()
  for (const it of feed.items ?? []) {
    const guid = (it.guid || it.id || '').toString().trim()
    if (guid && seen.has(guid)) continue
    if (guid) seen.add(guid)
    const link = it.link?.trim() ?? ''
    const author = typeof it.author === 'string' ? it.author : (it.creator ?? undefined)
    items.push({
      externalId: guid || undefined,
      url: link,
      title: it.title?.trim() ?? '',
      text: it.content ?? it.contentSnippet ?? it.summary ?? '',
      author: author?.toString().trim() || undefined,
      publishedAt: it.isoDate ?? undefined,
    })
  }
  return { title: feed.title ?? '', items }
}

export default defineCollector({
  id: 'rss',
  label: 'RSS / Atom',
  description: {
    en: 'Any RSS 2.0, Atom or RDF feed: newsrooms, blogs, forums, job boards. Items are kept when they match a brand.',
    fr: 'Tout flux RSS 2.0, Atom ou RDF : salles de presse, blogs, forums. Les articles sont gardés s’ils citent une marque.',
  },
  schema: rssConfig,
  fields: [
    {
      name: 'url',
      type: 'url',
      required: true,
      label: { en: 'Feed URL', fr: 'Adresse du flux' },
      placeholder: 'https://example.com/feed.xml',
    },
  ],
  defaultInterval: 15 * 60,
  usesBrandQuery: false,
  async collect(ctx, config, state) {
    const res = await ctx.http.request({
      url: config.url,
      headers: {
        accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.8',
      },
      etag: state.etag as string | undefined,
      lastModified: state.lastModified as string | undefined,
    })
    const nextState = { ...state, etag: res.etag, lastModified: res.lastModified }
    if (res.notModified) return { items: [], state: nextState, notModified: true }
    const { items } = await parseFeed(res.body, config.url)
    return { items, state: nextState }
  },
})
