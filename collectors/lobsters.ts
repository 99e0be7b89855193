// Lobsters newest stories (https://lobste.rs/newest.json, the JSON twin of every listing page; see
// https://github.com/lobsters/lobsters). There is no search API: we read the newest stories and
// the pipeline keeps those matching a brand. short_ids are random, not ordered, so the watermark is
// the newest `created_at` plus the ids already seen at that instant.
import { z } from 'zod'
import { baseUrlField, expectShape, httpUrl, joinUrl, metrics, prefixed } from './shared'
import { defineCollector, type CollectedItem } from './types'

const ID = 'lobsters'
const MAX_PAGES = 3

const schema = z.object({ baseUrl: httpUrl().optional() }).strict()

interface Story {
  short_id: string
  short_id_url?: string
  created_at: string
  title: string
  url?: string
  score?: number
  comment_count?: number
  description?: string
  description_plain?: string
  comments_url: string
  /** A username string today; an object in older versions of the code. */
  submitter_user?: string | { username: string }
  tags?: string[]
}

export default defineCollector({
  id: ID,
  label: 'Lobsters',
  description: {
    en: 'Newest Lobsters stories (a computing link community); those mentioning a brand are kept.',
    fr: 'Derniers liens publiés sur Lobsters (communauté informatique) ; ceux qui citent une marque sont gardés.',
  },
  schema,
  fields: [
    {
      ...baseUrlField('https://lobste.rs'),
      help: {
        en: 'No key. Also works with other sites running the Lobsters code. Only story titles, links and descriptions are read, not comments.',
        fr: 'Sans clé. Fonctionne aussi avec les autres sites qui font tourner Lobsters. Seuls titres, liens et descriptions sont lus, pas les commentaires.',
      },
    },
  ],
  defaultInterval: 30 * 60,
  usesBrandQuery: false,
  async collect(ctx, config, state) {
    const base = config.baseUrl ?? 'https://lobste.rs'
    const sinceMs = typeof state.since === 'string' ? Date.parse(state.since) : 0
    const seenAtSince = new Set((state.seen as string[] | undefined) ?? [])
    const items: CollectedItem[] = []
    let newestMs = sinceMs
    let newestIds = new Set(seenAtSince)
    for (let page = 1; page <= MAX_PAGES; page++) {
      const path = page === 1 ? '/newest.json' : `/newest/page/${page}.json`
      const { data } = await prefixed(ID, ctx.http.json<Story[]>({ url: joinUrl(base, path) }))
      expectShape(Array.isArray(data), ID, 'not a list of stories')
      let reachedOld = data.length === 0
      for (const s of data) {
        const at = Date.parse(s.created_at)
        if (!s.short_id || Number.isNaN(at)) continue
        if (at < sinceMs || (at === sinceMs && seenAtSince.has(s.short_id))) {
          reachedOld = true
          continue
        }
        if (at > newestMs) {
          newestMs = at
          newestIds = new Set()
        }
        if (at === newestMs) newestIds.add(s.short_id)
        const user =
          typeof s.submitter_user === 'string' ? s.submitter_user : s.submitter_user?.username
        items.push({
          externalId: s.short_id,
          url: s.comments_url,
          title: s.title,
          text: [
            s.description_plain ?? s.description,
            s.url,
            s.tags?.length ? `tags: ${s.tags.join(', ')}` : '',
          ]
            .filter(Boolean)
            .join('\n\n'),
          author: user,
          publishedAt: new Date(at).toISOString(),
          metrics: metrics({ score: s.score, comments: s.comment_count }),
        })
      }
      // First poll: one page is enough; later polls page back until they meet known stories.
      if (reachedOld || !sinceMs) break
    }
    return {
      items,
      state: {
        ...state,
        since: newestMs ? new Date(newestMs).toISOString() : state.since,
        seen: [...newestIds],
      },
    }
  },
})
