// Hacker News through the Algolia HN Search API (https://hn.algolia.com/api): stories and comments
// by date. Algolia has no OR operator for plain queries (all words are required), so each brand
// term is its own request, bounded; the `created_at_i` watermark keeps polls from refetching.
import { z } from 'zod'
import {
  baseUrlField,
  brandTerms,
  expectShape,
  httpUrl,
  joinUrl,
  metrics,
  prefixed,
  quote,
} from './shared'
import { defineCollector, type CollectedItem } from './types'

const ID = 'hacker-news'
const MAX_TERMS = 5
const MAX_PAGES = 3
const HITS_PER_PAGE = 50
/** First poll looks back one day rather than the whole archive. */
const FIRST_LOOKBACK_S = 24 * 3600

const schema = z
  .object({
    baseUrl: httpUrl().optional(),
    kinds: z.enum(['all', 'story', 'comment']).default('all'),
  })
  .strict()

interface Hit {
  objectID: string
  created_at?: string
  created_at_i: number
  title?: string | null
  url?: string | null
  author?: string
  points?: number | null
  num_comments?: number | null
  story_text?: string | null
  comment_text?: string | null
  story_id?: number | null
  story_title?: string | null
  _tags?: string[]
}

interface SearchResponse {
  hits: Hit[]
  nbPages: number
  page: number
}

const TAGS = { all: '(story,comment)', story: 'story', comment: 'comment' } as const

function toItem(h: Hit): CollectedItem {
  const isComment = h._tags?.includes('comment') ?? !!h.comment_text
  const discussion = `https://news.ycombinator.com/item?id=${h.objectID}`
  const text = isComment
    ? (h.comment_text ?? '')
    : [h.story_text, h.url].filter(Boolean).join('\n\n')
  return {
    externalId: h.objectID,
    url: discussion,
    title: isComment ? `Re: ${h.story_title ?? ''}`.trim() : (h.title ?? ''),
    text,
    author: h.author,
    publishedAt: new Date(h.created_at_i * 1000).toISOString(),
    metrics: metrics({ points: h.points ?? undefined, comments: h.num_comments ?? undefined }),
  }
}

export default defineCollector({
  id: ID,
  label: 'Hacker News',
  description: {
    en: 'Stories and comments on Hacker News mentioning your brands (Algolia search, no key).',
    fr: 'Articles et commentaires de Hacker News citant vos marques (recherche Algolia, sans clé).',
  },
  schema,
  fields: [
    {
      name: 'kinds',
      type: 'select',
      label: { en: 'What to collect', fr: 'Quoi collecter' },
      options: [
        { value: 'all', label: { en: 'Stories and comments', fr: 'Articles et commentaires' } },
        { value: 'story', label: { en: 'Stories only', fr: 'Articles seulement' } },
        { value: 'comment', label: { en: 'Comments only', fr: 'Commentaires seulement' } },
      ],
      help: {
        en: `No key needed. One request per brand term (at most ${MAX_TERMS}); Algolia allows 10,000 requests an hour per IP.`,
        fr: `Sans clé. Une requête par terme de marque (${MAX_TERMS} au plus) ; Algolia accepte 10 000 requêtes par heure et par IP.`,
      },
    },
    baseUrlField('https://hn.algolia.com'),
  ],
  defaultInterval: 10 * 60,
  usesBrandQuery: true,
  async collect(ctx, config, state) {
    const base = config.baseUrl ?? 'https://hn.algolia.com'
    const nowS = Math.floor(ctx.now().getTime() / 1000)
    const since = typeof state.since === 'number' ? state.since : nowS - FIRST_LOOKBACK_S
    let newest = since
    const byId = new Map<string, CollectedItem>()
    for (const term of brandTerms(ctx.brands, MAX_TERMS)) {
      for (let page = 0; page < MAX_PAGES; page++) {
        const { data } = await prefixed(
          ID,
          ctx.http.json<SearchResponse>({
            url: joinUrl(base, '/api/v1/search_by_date', {
              query: quote(term),
              tags: TAGS[config.kinds],
              numericFilters: `created_at_i>${since}`,
              hitsPerPage: HITS_PER_PAGE,
              page,
            }),
          }),
        )
        expectShape(data && Array.isArray(data.hits), ID, 'no hits array')
        for (const h of data.hits) {
          if (typeof h.created_at_i !== 'number' || !h.objectID) continue
          newest = Math.max(newest, h.created_at_i)
          byId.set(h.objectID, toItem(h))
        }
        if (page + 1 >= (data.nbPages ?? 0)) break
      }
    }
    return { items: [...byId.values()], state: { ...state, since: newest } }
  },
})
