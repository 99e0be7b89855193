// Lemmy instance search: /api/v3/search (Lemmy 0.19, https://join-lemmy.org/api/) and, where the
// instance runs Lemmy 1.x, /api/v4/search whose results are one list of tagged views. The version
// is detected once (GET /api/v4/site, 404 → v3) and kept in state. Lemmy search has no OR: one
// request per brand term, bounded, and results filtered against a per-term `published` watermark.
import { z } from 'zod'
import { CollectorError } from './http'
import { brandTerms, expectShape, httpUrl, joinUrl, metrics, prefixed } from './shared'
import { defineCollector, type CollectedItem, type CollectContext } from './types'

const ID = 'lemmy'
const MAX_TERMS = 5
const MAX_PAGES = 2
const LIMIT = 50

const schema = z
  .object({
    instance: httpUrl().optional(),
    api: z.enum(['auto', 'v3', 'v4']).default('auto'),
  })
  .strict()

interface Person {
  name: string
  actor_id?: string
  ap_id?: string
}
interface PostV {
  post: {
    id: number
    name: string
    url?: string
    body?: string
    published: string
    ap_id: string
    score?: number
    comments?: number
  }
  creator: Person
  counts?: { score?: number; comments?: number; upvotes?: number; downvotes?: number }
}
interface CommentV {
  comment: {
    id: number
    content: string
    published: string
    ap_id: string
    score?: number
    child_count?: number
  }
  creator: Person
  post: { id: number; name: string }
  counts?: { score?: number; child_count?: number; upvotes?: number; downvotes?: number }
}
type V4Result = ({ type_: 'post' } & PostV) | ({ type_: 'comment' } & CommentV) | { type_: string }

/** Lemmy before 0.19 wrote timestamps without a zone; they are UTC. */
const utc = (s: string) => new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s}Z`).toISOString()

function fromPost(v: PostV): CollectedItem {
  return {
    externalId: v.post.ap_id,
    url: v.post.ap_id,
    title: v.post.name,
    text: [v.post.body, v.post.url].filter(Boolean).join('\n\n'),
    author: v.creator?.name,
    publishedAt: utc(v.post.published),
    metrics: metrics({
      score: v.counts?.score ?? v.post.score,
      comments: v.counts?.comments ?? v.post.comments,
    }),
  }
}

function fromComment(v: CommentV): CollectedItem {
  return {
    externalId: v.comment.ap_id,
    url: v.comment.ap_id,
    title: `Re: ${v.post?.name ?? ''}`.trim(),
    text: v.comment.content,
    author: v.creator?.name,
    publishedAt: utc(v.comment.published),
    metrics: metrics({
      score: v.counts?.score ?? v.comment.score,
      replies: v.counts?.child_count ?? v.comment.child_count,
    }),
  }
}

async function detectApi(ctx: CollectContext, base: string): Promise<'v3' | 'v4'> {
  const res = await prefixed(
    ID,
    ctx.http.request({ url: joinUrl(base, '/api/v4/site'), acceptStatus: [400, 404] }),
  )
  return res.status === 200 ? 'v4' : 'v3'
}

export default defineCollector({
  id: ID,
  label: 'Lemmy',
  description: {
    en: 'Posts and comments on a Lemmy instance (and the communities it federates with).',
    fr: 'Publications et commentaires d’une instance Lemmy (et des communautés fédérées).',
  },
  schema,
  fields: [
    {
      name: 'instance',
      type: 'url',
      label: { en: 'Instance', fr: 'Instance' },
      placeholder: 'https://lemmy.world',
      help: {
        en: 'No account needed. An instance only searches what it has federated; add one source per large instance. One request per brand term (at most 5).',
        fr: 'Sans compte. Une instance ne cherche que ce qu’elle a fédéré ; ajoutez une source par grande instance. Une requête par terme de marque (5 au plus).',
      },
    },
    {
      name: 'api',
      type: 'select',
      label: { en: 'API version', fr: 'Version de l’API' },
      options: [
        { value: 'auto', label: { en: 'Detect', fr: 'Détecter' } },
        { value: 'v3', label: { en: 'v3 (Lemmy 0.19)', fr: 'v3 (Lemmy 0.19)' } },
        { value: 'v4', label: { en: 'v4 (Lemmy 1.x)', fr: 'v4 (Lemmy 1.x)' } },
      ],
    },
  ],
  defaultInterval: 20 * 60,
  usesBrandQuery: true,
  async collect(ctx, config, state) {
    const base = config.instance ?? 'https://lemmy.world'
    let api: 'v3' | 'v4' =
      config.api !== 'auto'
        ? config.api
        : state.api === 'v3' || state.api === 'v4'
          ? state.api
          : await detectApi(ctx, base)
    const since: Record<string, string> = { ...((state.since as Record<string, string>) ?? {}) }
    const byId = new Map<string, CollectedItem>()
    for (const term of brandTerms(ctx.brands, MAX_TERMS)) {
      const from = since[term] ?? ''
      let newest = from
      let cursor: string | undefined
      for (let page = 1; page <= MAX_PAGES; page++) {
        // Unquoted: Lemmy matches with ILIKE, so quotes would be searched for literally.
        const params = {
          q: term,
          type_: 'All',
          sort: 'New',
          listing_type: 'All',
          limit: LIMIT,
        }
        let found: CollectedItem[] = []
        if (api === 'v4') {
          // request(), not json(): a 404 body is an HTML page, not JSON.
          const response = await prefixed(
            ID,
            ctx.http.request({
              url: joinUrl(base, '/api/v4/search', { ...params, page_cursor: cursor }),
              headers: { accept: 'application/json' },
              acceptStatus: [404],
            }),
          )
          if (response.status === 404) {
            // The instance went back to (or never had) v4: fall back and retry this page.
            api = 'v3'
            page--
            continue
          }
          let data: { results?: V4Result[]; next_page?: string } | undefined
          try {
            data = JSON.parse(response.body)
          } catch {
            throw new CollectorError('malformed', `${ID}: the instance did not return valid JSON`)
          }
          expectShape(Array.isArray(data?.results), ID, 'no results array')
          for (const r of data!.results!) {
            if (r.type_ === 'post') found.push(fromPost(r as PostV))
            else if (r.type_ === 'comment') found.push(fromComment(r as CommentV))
          }
          cursor = data!.next_page ?? undefined
        } else {
          const { data } = await prefixed(
            ID,
            ctx.http.json<{ posts?: PostV[]; comments?: CommentV[] }>({
              url: joinUrl(base, '/api/v3/search', { ...params, page }),
            }),
          )
          expectShape(
            Array.isArray(data?.posts) && Array.isArray(data?.comments),
            ID,
            'no posts/comments arrays',
          )
          found = [...data.posts!.map(fromPost), ...data.comments!.map(fromComment)]
        }
        let reachedOld = found.length < LIMIT
        for (const it of found) {
          if (it.publishedAt! <= from) {
            reachedOld = true
            continue
          }
          if (it.publishedAt! > newest) newest = it.publishedAt!
          byId.set(it.externalId!, it)
        }
        if (reachedOld || !from || (api === 'v4' && !cursor)) break
      }
      if (newest) since[term] = newest
    }
    return { items: [...byId.values()], state: { ...state, api, since } }
  },
})
