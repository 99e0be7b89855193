// Exclusions: authors (employees' personal accounts, opted-out people), domains and single
// addresses (erased on request) whose items are dropped before storage. Values are stored as keyed
// hashes, so the table is not a staff directory: matching hashes the candidate with the same key.
// Two keys: the instance secret (in the database) and one derived from VIGIE_SECRET_KEY / vigie.key
// (outside it), so a copy of the database alone cannot be tested against a list of staff handles.
import { createHmac } from 'node:crypto'
import type { Db } from '.'
import type { Exclusion } from './schema'
import { canonicalUrl } from '../server/normalize'
import { derivedKey, SecretKeyError } from '../server/secrets'
import { getSetting, instanceSecret, setSetting } from './settings'

export function normalizeHandle(handle: string): string {
  return handle
    .trim()
    .toLowerCase()
    .replace(/^@+/, '')
    .replace(/^https?:\/\/(www\.)?/, '')
    .replace(/\/+$/, '')
}

// Platforms whose handles are user@instance: "@staff.member" (the README's own example) names the
// person on every instance, as people write it, and "@staff.member@masto.example" the one account.
// Not for e-mail addresses in feeds, where "jane" alone names nobody in particular.
const FEDERATED = new Set(['mastodon', 'lemmy'])

/**
 * Every identity an author string names, normalized: the string itself, and for the two e-mail
 * forms feeds use, "jane@news.example (Jane Doe)" (RSS 2.0) and "Jane Doe <jane@news.example>",
 * the address and the name apart; on a federated platform, a handle's user part as well. An
 * exclusion or erasure of any one then finds the author.
 */
export function authorKeys(author: string, platform = ''): string[] {
  const keys = [normalizeHandle(author)]
  const fed = FEDERATED.has(platform) ? /^@?([^\s@]+)@[^\s@]+\.[^\s@]+$/.exec(author.trim()) : null
  if (fed) keys.push(normalizeHandle(fed[1]))
  const m =
    /^\s*([^\s()<>]+@[^\s()<>]+)\s*\(([^()]*)\)\s*$/.exec(author) ??
    /^\s*"?([^"<>]*?)"?\s*<([^\s<>]+@[^\s<>]+)>\s*$/.exec(author)
  if (m) for (const part of [m[1], m[2]]) keys.push(normalizeHandle(part))
  return [...new Set(keys.filter(Boolean))]
}

export function normalizeDomain(domain: string): string {
  return domain
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/\/.*$/, '')
    .replace(/^www\./, '')
}

export type ExclusionKind = 'author' | 'domain' | 'url'

function normalize(kind: ExclusionKind, value: string): string {
  if (kind === 'author') return normalizeHandle(value)
  if (kind === 'domain') return normalizeDomain(value)
  // http/https, www., tracking parameters and a trailing slash are the same page
  return canonicalUrl(value)
}

export function keyedHash(secret: string | Buffer, value: string): string {
  return createHmac('sha256', secret).update(value).digest('base64url')
}

// Settings row holding a check value of the outer key the stored hashes are wrapped with.
const OUTER_MARK = 'exclusions_outer_key'

/**
 * The hash function for exclusion values. The outer key came after hashes had been stored with
 * the instance secret alone; those are wrapped in place the first time this runs (a hash of the
 * stored hash: no plain value needed), once, even with several processes on one Postgres (the
 * settings row is claimed first and the others wait on it). A different key (a database restored
 * without its key file) cannot match the list any more: that stops here with a SecretKeyError,
 * which the pipeline turns into a failed batch (nothing stored) and the start into a message.
 */
export async function exclusionHasher(db: Db): Promise<(norm: string) => string> {
  const inner = await instanceSecret(db)
  const outer = derivedKey('exclusions')
  const check = keyedHash(outer, 'check')
  const wrap = (v: string) => keyedHash(outer, v)
  if ((await getSetting(db, OUTER_MARK)) !== check) {
    // inside the caller's transaction when there is one (the YAML file is applied in one)
    const inTransaction = (body: (trx: Db) => Promise<void>) =>
      db.isTransaction ? body(db) : db.transaction().execute(body)
    await inTransaction(async (trx) => {
      const claimed = await trx
        .insertInto('settings')
        .values({ key: OUTER_MARK, value: check })
        .onConflict((oc) => oc.column('key').doNothing())
        .returning('key')
        .executeTakeFirst()
      if (claimed) {
        const rows = await trx.selectFrom('exclusions').select(['id', 'value_hash']).execute()
        for (const r of rows)
          await trx
            .updateTable('exclusions')
            .set({ value_hash: wrap(r.value_hash) })
            .where('id', '=', r.id)
            .execute()
        return
      }
      if ((await getSetting(trx, OUTER_MARK)) === check) return
      const any = await trx.selectFrom('exclusions').select('id').limit(1).executeTakeFirst()
      if (any)
        throw new SecretKeyError(
          'the exclusion list was saved with another key: restore the vigie.key file saved with this database, or set VIGIE_SECRET_KEY to the key it was saved with (Vigie stores nothing until then, so that no excluded account slips through)',
        )
      await setSetting(trx, OUTER_MARK, check) // an empty list: nothing to protect, take this key
    })
  }
  return (norm) => wrap(keyedHash(inner, norm))
}

function hintOf(kind: ExclusionKind, value: string): string {
  // an erased page: its site is enough to recognise it, its path may name the person
  if (kind === 'url') return value.replace(/^\/\//, '').split(/[/?#]/)[0] + '/…'
  return value.length <= 2 ? value[0] + '…' : value.slice(0, 2) + '…'
}

export async function addExclusion(
  db: Db,
  input: { kind: ExclusionKind; value: string; platform?: string; brandId?: number | null },
  now: Date,
): Promise<{ exclusion: Exclusion; created: boolean }> {
  const norm = normalize(input.kind, input.value)
  if (!norm) throw new Error(`empty ${input.kind}`)
  const hash = await exclusionHasher(db)
  // "@staffer" and "staffer" are one account: the same exclusion is not listed twice
  const same = await findExclusion(db, hash(norm), input.kind, input)
  if (same) return { exclusion: same, created: false }
  const exclusion = await db
    .insertInto('exclusions')
    .values({
      brand_id: input.brandId ?? null,
      kind: input.kind,
      platform: input.platform ?? '',
      value_hash: hash(norm),
      hint: hintOf(input.kind, norm),
      created_at: now.toISOString(),
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  return { exclusion, created: true }
}

async function findExclusion(
  db: Db,
  valueHash: string,
  kind: ExclusionKind,
  scope: { platform?: string; brandId?: number | null },
): Promise<Exclusion | undefined> {
  let q = db
    .selectFrom('exclusions')
    .selectAll()
    .where('kind', '=', kind)
    .where('value_hash', '=', valueHash)
    .where('platform', '=', scope.platform ?? '')
  q = scope.brandId ? q.where('brand_id', '=', scope.brandId) : q.where('brand_id', 'is', null)
  return q.executeTakeFirst()
}

export async function listExclusions(db: Db): Promise<Exclusion[]> {
  return db.selectFrom('exclusions').selectAll().orderBy('created_at', 'desc').execute()
}

export async function deleteExclusion(db: Db, id: number): Promise<void> {
  await db.deleteFrom('exclusions').where('id', '=', id).execute()
}

/** A compiled matcher used by the pipeline's privacy stage (loaded once per batch). */
export interface ExclusionMatcher {
  excludes(
    item: { author?: string | null; url: string },
    platform: string,
    brandId: number,
  ): boolean
}

export async function loadExclusionMatcher(db: Db): Promise<ExclusionMatcher> {
  // the hasher first: it may wrap the stored hashes the rows below are matched against
  const hash = await exclusionHasher(db)
  const rows = await listExclusions(db)
  if (!rows.length) return { excludes: () => false }
  const authors = new Map<string, Exclusion[]>()
  const domains = new Map<string, Exclusion[]>()
  const urls = new Map<string, Exclusion[]>()
  for (const r of rows) {
    const map = r.kind === 'author' ? authors : r.kind === 'url' ? urls : domains
    map.set(r.value_hash, [...(map.get(r.value_hash) ?? []), r])
  }
  const applies = (list: Exclusion[] | undefined, platform: string, brandId: number) =>
    !!list?.some(
      (e) =>
        (e.brand_id === null || e.brand_id === brandId) &&
        (e.platform === '' || e.platform === platform),
    )
  return {
    excludes(item, platform, brandId) {
      if (item.author && authors.size) {
        for (const key of authorKeys(item.author, platform))
          if (applies(authors.get(hash(key)), platform, brandId)) return true
      }
      if (urls.size && item.url) {
        const u = canonicalUrl(item.url)
        if (u && applies(urls.get(hash(u)), platform, brandId)) return true
      }
      if (domains.size) {
        let host = ''
        try {
          host = normalizeDomain(new URL(item.url).hostname)
        } catch {}
        // example.com also excludes news.example.com
        for (let h = host; h.includes('.'); h = h.slice(h.indexOf('.') + 1)) {
          if (applies(domains.get(hash(h)), platform, brandId)) return true
        }
      }
      return false
    },
  }
}
