// Google Alerts delivered as an Atom feed (https://support.google.com/websearch/answer/4815696:
// "Deliver to: RSS feed"). Entry links go through a https://www.google.com/url?…&url= redirect
// and titles carry <b> highlights; both are undone here so the pipeline sees the article itself.
import { z } from 'zod'
import { feedWarning, parseFeed } from './rss'
import { decodeEntities, httpUrl, prefixed } from './shared'
import { defineCollector } from './types'
import { say } from '../server/field-errors'

const ID = 'google-alerts'

const schema = z
  .object({
    url: httpUrl(
      say(
        'the feed address Google Alerts shows next to the RSS icon',
        'l’adresse du flux que Google Alertes affiche à côté de l’icône RSS',
      ),
    ),
  })
  .strict()

/** Returns the target of a Google redirect link (`/url?…&url=` or `&q=`), else the link itself. */
export function unwrapGoogleUrl(link: string): string {
  try {
    const u = new URL(link)
    if (/(^|\.)google\.[a-z.]+$/.test(u.hostname) && u.pathname === '/url') {
      const target = u.searchParams.get('url') ?? u.searchParams.get('q')
      if (target && /^https?:\/\//.test(target)) return target
    }
  } catch {
    // not a URL: leave it to the pipeline
  }
  return link
}

/** Strips the tags Google puts in titles (<b>…</b>) and decodes the entities left over. */
export const stripTags = (html: string) =>
  decodeEntities(html.replace(/<[^>]*>/g, ''))
    .replace(/\s+/g, ' ')
    .trim()

export default defineCollector({
  id: ID,
  label: 'Google Alerts',
  description: {
    en: 'A Google Alert delivered as an RSS feed: web pages and news Google finds for your query.',
    fr: 'Une alerte Google livrée en flux RSS : les pages et articles que Google trouve pour votre requête.',
  },
  schema,
  fields: [
    {
      name: 'url',
      type: 'url',
      required: true,
      label: { en: 'Alert feed URL', fr: 'Adresse du flux de l’alerte' },
      placeholder: 'https://www.google.com/alerts/feeds/0123456789/0123456789',
      help: {
        en: 'On google.com/alerts, edit the alert, choose "Deliver to: RSS feed", then copy the RSS icon’s link. No key. The feed keeps only the latest ~20 results.',
        fr: 'Sur google.com/alerts, modifiez l’alerte, choisissez « Envoyer à : flux RSS », puis copiez le lien de l’icône RSS. Sans clé. Le flux ne garde que ~20 résultats.',
      },
    },
  ],
  defaultInterval: 30 * 60,
  usesBrandQuery: false,
  async collect(ctx, config, state) {
    const res = await prefixed(
      ID,
      ctx.http.request({
        url: config.url,
        headers: { accept: 'application/atom+xml, application/xml;q=0.9, */*;q=0.8' },
        etag: state.etag as string | undefined,
        lastModified: state.lastModified as string | undefined,
      }),
    )
    const nextState = { ...state, etag: res.etag, lastModified: res.lastModified }
    if (res.notModified) return { items: [], state: nextState, notModified: true }
    const feed = await prefixed(ID, parseFeed(res.body, config.url))
    return {
      items: feed.items.map((it) => ({
        ...it,
        url: unwrapGoogleUrl(it.url),
        title: stripTags(it.title),
        // Alerts have an empty <author><name/>: nothing to keep.
        author: it.author || undefined,
      })),
      state: nextState,
      warning: feedWarning(ID, feed),
    }
  },
})
