// RSS 2.0, Atom 1.0 (RFC 4287) and RSS 1.0/RDF feeds through rss-parser, with conditional GET so an
// unchanged feed costs one 304. Items keep the feed's own guid/id as their identity.
import Parser from 'rss-parser'
import { z } from 'zod'
import { CollectorError } from './http'
import { httpUrl, joinWarnings, optionalText, skippedWarning, textOf } from './shared'
import { defineCollector, type CollectedItem } from './types'
import { say } from '../server/field-errors'
import { escapeMarkup } from '../server/text'

const parser = new Parser({
  customFields: {
    item: [
      ['dc:creator', 'creator'],
      ['author', 'author'],
    ],
  },
})

// What rss-parser hands back, typed as what it can be: every field is read through `textOf`, since
// xml2js gives objects or arrays for ordinary layouts (an attribute on <id>, child elements in
// <author> or <title type="xhtml">, an empty element).
type FeedItem = Record<string, unknown>
type FeedOutput = { title?: unknown; items?: unknown }

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

/**
 * Items taken from one fetch, in the feed's order (newest first in practice). Real feeds list tens
 * to a few hundred; a 10 MB feed of 250,000 tiny items made every poll store and re-match them
 * all, freezing the app for tens of seconds.
 */
export const MAX_FEED_ITEMS = 1000

export interface ParsedFeed {
  title: string
  items: CollectedItem[]
  /** Items that could not be read at all and were left out (the rest of the feed is kept). */
  skipped: number
  /** How many items the feed listed, when more than MAX_FEED_ITEMS (only those were read). */
  listed?: number
}

const ITEM_OPEN = /<(?:item|entry)[\s>/]/g
const ROOT_CLOSE: Record<string, string> = {
  rss: '</channel></rss>',
  'rdf:RDF': '</rdf:RDF>',
  feed: '</feed>',
}

/**
 * A document listing more than MAX_FEED_ITEMS items, cut before the next one and closed, so the
 * parser never builds the rest (250,000 tiny items took 1.4 s and 470 MB to parse whole), with
 * how many items it listed. Undefined when it lists no more than that or its root is unknown.
 */
export function cutAfterCap(xml: string): { xml: string; listed: number } | undefined {
  const root = /<(rss|rdf:RDF|feed)[\s>]/.exec(xml)?.[1]
  if (!root) return undefined
  let listed = 0
  let cut = -1
  for (const m of xml.matchAll(ITEM_OPEN)) {
    if (listed === MAX_FEED_ITEMS) cut = m.index
    listed++
  }
  return cut < 0 ? undefined : { xml: xml.slice(0, cut) + ROOT_CLOSE[root], listed }
}

const XHTML_FIELD =
  /<((?:[\w-]+:)?(?:content|summary|title|subtitle|rights))(\s[^>]*?\btype\s*=\s*["']xhtml["'][^>]*)>([\s\S]*?)<\/\1>/g

/**
 * Atom's `type="xhtml"` fields rewritten as `type="html"` (their markup escaped), before parsing:
 * the XML parser splits mixed content into text and child elements, which loses word order —
 * `<div>Merci <b>Acme</b>, dépannage rapide</div>` came out "Merci , dépannage rapide Acme", and
 * a brand inside a link was not matched at all. As HTML, the markup is read in order.
 */
export function xhtmlAsHtml(xml: string): string {
  if (!/type\s*=\s*["']xhtml/.test(xml)) return xml
  return xml.replace(
    XHTML_FIELD,
    (_, tag: string, attrs: string, inner: string) =>
      `<${tag}${attrs.replace(/\btype\s*=\s*["']xhtml["']/, 'type="html"')}>${escapeMarkup(inner)}</${tag}>`,
  )
}

/**
 * Parses with `p`, first reading Atom's xhtml fields as html (xhtmlAsHtml) and cutting a document
 * past MAX_FEED_ITEMS (cutAfterCap); `listed` is the item count of a cut document. Rejects as `p`
 * does.
 */
export async function parseCapped<T>(
  p: { parseString(xml: string): Promise<T> },
  raw: string,
): Promise<{ feed: T; listed?: number }> {
  const xml = xhtmlAsHtml(raw)
  const cut = cutAfterCap(xml)
  if (cut)
    try {
      return { feed: await p.parseString(cut.xml), listed: cut.listed }
    } catch {
      // the cut landed somewhere odd ("<item" inside a CDATA section): read the whole document
    }
  return { feed: await p.parseString(xml) }
}

/** Parses feed XML and maps it to collected items; exported for collectors built on feeds. */
export async function parseFeed(xml: string, url: string): Promise<ParsedFeed> {
  let parsed: { feed: FeedOutput; listed?: number }
  try {
    parsed = await parseCapped(parser, xml)
  } catch (err) {
    const reason = (err as Error).message.split('\n')[0].slice(0, 160)
    throw new CollectorError('malformed', `${url} is not a valid RSS/Atom feed (${reason})`)
  }
  const first = firstItems<unknown>(parsed)
  const items: CollectedItem[] = []
  let skipped = 0
  // Some feeds repeat a guid (an edited post re-published); the first occurrence wins.
  const seen = new Set<string>()
  for (const it of first.items) {
    let item: CollectedItem
    try {
      item = feedItem(it as FeedItem)
    } catch {
      skipped++ // one unreadable item must not cost the others
      continue
    }
    const guid = item.externalId
    if (guid && seen.has(guid)) continue
    if (guid) seen.add(guid)
    items.push(item)
  }
  const capped = first.listed ? { listed: first.listed } : {}
  return { title: textOf(parsed.feed.title).trim(), items, skipped, ...capped }
}

function feedItem(it: FeedItem): CollectedItem {
  return {
    externalId: optionalText(it.guid) ?? optionalText(it.id),
    url: textOf(it.link).trim(),
    title: textOf(it.title).trim(),
    text: textOf(it.content) || textOf(it.contentSnippet) || textOf(it.summary),
    author: optionalText(it.author) ?? optionalText(it.creator),
    publishedAt: optionalText(it.isoDate),
  }
}

const cappedWarning = (source: string, listed: number) =>
  `${source}: kept the first ${MAX_FEED_ITEMS} of ${listed} items`

/** The poll's warning for a capped feed and for items left out; undefined when all was read. */
export function feedWarning(source: string, feed: ParsedFeed): string | undefined {
  const capped = feed.listed ? cappedWarning(source, feed.listed) : undefined
  return joinWarnings(capped, skippedWarning(source, feed.skipped))
}

/** The first MAX_FEED_ITEMS of a parsed feed, and how many it listed when that was more. */
function firstItems<T>(parsed: { feed: { items?: unknown }; listed?: number }): {
  items: T[]
  listed?: number
} {
  const all = (Array.isArray(parsed.feed.items) ? parsed.feed.items : []) as T[]
  const total = parsed.listed ?? all.length
  if (total <= MAX_FEED_ITEMS) return { items: all }
  return { items: all.slice(0, MAX_FEED_ITEMS), listed: total }
}

/**
 * The first MAX_FEED_ITEMS of a feed read with its own parser (Google News, YouTube), and the
 * poll's warning when it listed more.
 */
export function firstFeedItems<T>(
  source: string,
  parsed: { feed: { items?: T[] }; listed?: number },
): { items: T[]; warning?: string } {
  const first = firstItems<T>(parsed)
  const warning = first.listed ? cappedWarning(source, first.listed) : undefined
  return { items: first.items, warning }
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
    const feed = await parseFeed(res.body, config.url)
    return { items: feed.items, state: nextState, warning: feedWarning('rss', feed) }
  },
})
