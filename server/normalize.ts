// Normalization of collected items before anything else looks at them: HTML to plain text,
// canonical URLs (RFC 3986 §6 normalization plus tracking parameters removed), stable ids and
// sane dates. Pure functions; the pipeline calls them once per item.
import { createHash } from 'node:crypto'
import { decodeHTML } from 'entities'

const BLOCK_TAGS =
  /<\/?(p|div|br|li|ul|ol|h[1-6]|blockquote|pre|tr|table|section|article|header|footer)\b[^>]*>/gi

/** HTML (or already-plain text) to readable plain text; scripts and styles are dropped. */
// Bidirectional overrides, embeddings and isolates (U+202A–E, U+2066–9) go too: in a stranger's
// text they only serve to make it display other than it reads (a "‮gnp.exe" file name, a title
// that reverses what follows it on the page). Marks (U+200E/F) stay.
const NEEDS_CLEANING =
  /[<&\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b\u202a-\u202e\u2066-\u2069\ufeff\t\u00a0]|  |\n\s|\s\n/

export function htmlToText(input: string): string {
  if (!input) return ''
  if (!NEEDS_CLEANING.test(input)) return input.trim() // most social posts: nothing to do
  let s = input
  if (/[<&]/.test(s)) {
    s = s
      .replace(/<!--[\s\S]*?-->/g, ' ')
      .replace(/<(script|style|noscript|template)\b[\s\S]*?<\/\1\s*>/gi, ' ')
      .replace(/<!\[CDATA\[([\s\S]*?)\]\]>/g, '$1')
      .replace(BLOCK_TAGS, '\n')
      .replace(/<[^>]*>/g, '')
    s = decodeHTML(s)
  }
  return s
    .replace(
      /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b\u202a-\u202e\u2066-\u2069\ufeff]/g,
      '',
    )
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/ *\n[\s]*/g, '\n')
    .trim()
}

const TRACKING =
  /^(utm_\w+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|igshid|ocid|cmpid|xtor|at_medium|at_campaign|ref_src|ref_url|_hsenc|_hsmi|mkt_tok|yclid|spm|s_cid|ncid)$/i

/** Canonical form of a URL for folding duplicates; returns '' for what is not an http(s) URL. */
export function canonicalUrl(raw: string): string {
  let u: URL
  try {
    u = new URL(raw.trim())
  } catch {
    return ''
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return ''
  u.hash = ''
  u.hostname = u.hostname.toLowerCase().replace(/^(www|m|mobile|amp)\./, '')
  const kept = [...u.searchParams.entries()].filter(([k]) => !TRACKING.test(k))
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  u.search = new URLSearchParams(kept).toString()
  let s = u.toString()
  // http and https, trailing slash and AMP variants are the same story.
  s = s.replace(/^https?:\/\//, '//').replace(/\/amp\/?$/, '/')
  if (s.endsWith('/') && !u.search) s = s.slice(0, -1)
  return s
}

export function hash(s: string): string {
  return createHash('sha256').update(s).digest('base64url').slice(0, 22)
}

/** Only http(s) links are kept for display; anything else (javascript:, data:) becomes ''. */
export function safeUrl(raw: string): string {
  try {
    const u = new URL(raw.trim())
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : ''
  } catch {
    return ''
  }
}

export interface Identity {
  externalId: string
  foldHash: string
}

// An anchor naming one comment, answer or post on a page ("#comment-1234", "#answer-56",
// "#post-7", "#c42", "#reply_9"): each is its own mention, while other anchors (a heading) are the
// page itself. Without it, a blog's comment feed folded into one mention.
const ITEM_ANCHOR =
  /^#(comment|comments|answer|reply|post|message|msg|entry|note|c|p|r)[-_:]?\w*\d[\w-]*$/i

/**
 * The source's own id, else the canonical URL, else the content: the same item always maps the
 * same. Items fold (one story seen twice) by canonical URL, with an item anchor kept; without a
 * URL, by the source's id when it gives one (the same complaint posted by three accounts is three
 * mentions), else by content.
 */
export function identify(item: {
  externalId?: string
  url: string
  title: string
  text: string
  foldKey?: string
}): Identity {
  const canon = canonicalUrl(item.url)
  const id = item.externalId?.trim().slice(0, 512)
  const content = 'c:' + hash(`${item.title}\n${item.text}`)
  const anchor = canon ? anchorOf(item.url) : ''
  const byUrl = canon ? 'u:' + hash(canon + anchor) : ''
  const externalId = id || byUrl || content
  const foldHash = item.foldKey
    ? 'k:' + hash(item.foldKey)
    : byUrl || (id ? 'i:' + hash(id) : content)
  return { externalId, foldHash }
}

function anchorOf(raw: string): string {
  try {
    const frag = new URL(raw.trim()).hash
    return ITEM_ANCHOR.test(frag) ? frag.toLowerCase() : ''
  } catch {
    return ''
  }
}

/** A publication date as ISO UTC: missing, invalid or far-future dates fall back to `now`. */
export function normalizeDate(raw: string | undefined, now: Date): string {
  if (!raw) return now.toISOString()
  const t = Date.parse(raw)
  if (Number.isNaN(t) || t > now.getTime() + 60 * 60 * 1000 || t < Date.UTC(1995, 0, 1))
    return now.toISOString()
  return new Date(t).toISOString()
}

/** Caps a string without cutting a surrogate pair; the store keeps texts to a sane size. */
export function truncate(s: string, max: number): string {
  if (s.length <= max) return s
  const cut = s.slice(0, max)
  return /[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) + '…' : cut + '…'
}
