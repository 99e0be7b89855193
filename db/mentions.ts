// Mentions: insert-only ingestion (duplicates fold on unique indexes and are skipped), the
// filtered, keyset-paginated feed, and triage updates.
import { sql, type Expression, type SqlBool } from 'kysely'
import type { Db } from '.'
import type { Mention, NewMention } from './schema'
import { fold } from '../server/text'
import { ftsMatch } from './sqlite'

const BATCH = 400 // rows per INSERT: well under SQLite's bound-parameter limit

/** Inserts mentions, skipping any already stored; returns the ids of the new ones. */
export async function insertMentions(
  db: Db,
  rows: NewMention[],
): Promise<{ id: number; brand_id: number }[]> {
  if (!rows.length) return []
  return db.transaction().execute(async (trx) => {
    const out: { id: number; brand_id: number }[] = []
    for (let i = 0; i < rows.length; i += BATCH) {
      const inserted = await trx
        .insertInto('mentions')
        .values(rows.slice(i, i + BATCH))
        .onConflict((oc) => oc.doNothing())
        .returning(['id', 'brand_id'])
        .execute()
      out.push(...inserted)
    }
    return out
  })
}

export interface MentionFilter {
  brandId?: number
  sourceId?: number
  sourceKind?: string
  sentiment?: 'positive' | 'neutral' | 'negative'
  lang?: string
  status?: string
  author?: string
  /** a person's name, case aside; '-' for mentions nobody is assigned */
  assignee?: string
  /** Host name of the mention's URL ("example.com" also matches www.example.com). */
  domain?: string
  q?: string
  since?: string
  until?: string
  /** Only mentions stored after this id (the live "N new mentions" pill). */
  afterId?: number
}

export interface Cursor {
  publishedAt: string
  id: number
}

export function encodeCursor(c: Cursor): string {
  return Buffer.from(`${c.publishedAt}|${c.id}`).toString('base64url')
}

export function decodeCursor(s: string): Cursor | null {
  const [publishedAt, id] = Buffer.from(s, 'base64url').toString('utf8').split('|')
  if (!publishedAt || !/^\d+$/.test(id ?? '') || Number.isNaN(Date.parse(publishedAt))) return null
  return { publishedAt, id: Number(id) }
}

export type MentionRow = Mention & { brand_name: string; source_name: string; source_kind: string }

/** Effective label: a teammate's correction wins over the machine's. */
export const effectiveLabel = sql<string>`coalesce(mentions.manual_label, mentions.sentiment_label)`

/** Mentions with their brand's and source's names: the shape every list and detail shows. */
export function selectMentionRows(db: Db) {
  return db
    .selectFrom('mentions')
    .innerJoin('brands', 'brands.id', 'mentions.brand_id')
    .innerJoin('sources', 'sources.id', 'mentions.source_id')
    .selectAll('mentions')
    .select([
      'brands.name as brand_name',
      'sources.name as source_name',
      'sources.kind as source_kind',
    ])
}

async function filtered(db: Db, dialect: 'sqlite' | 'postgres', f: MentionFilter) {
  let q = selectMentionRows(db)
  if (f.brandId) q = q.where('mentions.brand_id', '=', f.brandId)
  if (f.sourceId) q = q.where('mentions.source_id', '=', f.sourceId)
  if (f.sourceKind) q = q.where('sources.kind', '=', f.sourceKind)
  if (f.sentiment) q = q.where(effectiveLabel, '=', f.sentiment)
  if (f.lang) q = q.where('mentions.lang', '=', f.lang)
  if (f.status === 'open') q = q.where('mentions.status', 'in', ['new', 'in_progress'])
  else if (f.status) q = q.where('mentions.status', '=', f.status)
  if (f.author) {
    // "tom49" and "@tom49" are the same person: the feed writes "par @tom49", people type either
    const bare = f.author.trim().replace(/^@/, '')
    q = q.where('mentions.author', 'in', [bare, `@${bare}`])
  }
  if (f.assignee === '-') q = q.where('mentions.assignee', 'is', null)
  // "is not null" lets the partial index (migration 0006) find the few assigned rows
  else if (f.assignee)
    q = q
      .where('mentions.assignee', 'is not', null)
      .where(sql<boolean>`lower(mentions.assignee) = lower(${f.assignee})`)
  if (f.since) q = q.where('mentions.published_at', '>=', f.since)
  if (f.until) q = q.where('mentions.published_at', '<', f.until)
  if (f.afterId) q = q.where('mentions.id', '>', f.afterId)
  if (f.domain) {
    const d = f.domain.toLowerCase()
    q = q.where((eb) =>
      eb.or([
        eb('mentions.url', 'like', `%://${d}/%`),
        eb('mentions.url', 'like', `%://www.${d}/%`),
        eb('mentions.url', 'like', `%://${d}`),
      ]),
    )
  }
  if (f.q) {
    const match: Expression<SqlBool> | null = await ftsMatch(db, dialect, f.q)
    if (match) q = q.where(match)
  }
  return q
}

export async function listMentions(
  db: Db,
  dialect: 'sqlite' | 'postgres',
  f: MentionFilter,
  page: { limit: number; cursor?: Cursor | null },
): Promise<{ rows: MentionRow[]; nextCursor: string | null }> {
  let q = await filtered(db, dialect, f)
  const c = page.cursor
  if (c) {
    q = q.where((eb) =>
      eb.or([
        eb('mentions.published_at', '<', c.publishedAt),
        eb.and([eb('mentions.published_at', '=', c.publishedAt), eb('mentions.id', '<', c.id)]),
      ]),
    )
  }
  const rows = (await q
    .orderBy('mentions.published_at', 'desc')
    .orderBy('mentions.id', 'desc')
    .limit(page.limit + 1)
    .execute()) as MentionRow[]
  const more = rows.length > page.limit
  if (more) rows.pop()
  const last = rows[rows.length - 1]
  return {
    rows,
    nextCursor: more && last ? encodeCursor({ publishedAt: last.published_at, id: last.id }) : null,
  }
}

/**
 * Names to assign mentions to: the team's (active users) and those already in use, so that
 * "Léa" is picked from a list rather than typed as "lea" and "Léa " by three people.
 */
export async function teamNames(db: Db): Promise<string[]> {
  const [users, used] = await Promise.all([
    db.selectFrom('users').select('name').where('disabled', '=', 0).execute(),
    usedAssignees(db),
  ])
  const byKey = new Map<string, string>()
  for (const n of [...users.map((u) => u.name), ...used])
    if (n.trim() && !byKey.has(n.trim().toLowerCase())) byKey.set(n.trim().toLowerCase(), n.trim())
  return [...byKey.values()].sort((a, b) => a.localeCompare(b))
}

/** Assignees already in use (the partial index of migration 0006 reads only assigned rows). */
async function usedAssignees(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('mentions')
    .select('assignee')
    .distinct()
    .where('assignee', 'is not', null)
    .limit(200)
    .execute()
  return rows.flatMap((r) => (r.assignee ? [r.assignee] : []))
}

const key = (s: string) => fold(s.trim())

/** Active members with a name: who an assignee can be merged into. */
async function namedMembers(db: Db): Promise<{ name: string; email: string }[]> {
  const users = await db
    .selectFrom('users')
    .select(['name', 'email'])
    .where('disabled', '=', 0)
    .execute()
  return users.filter((u) => u.name.trim())
}

/**
 * The team member a typed assignee names, by name in another case or without accents, e-mail,
 * first name when only one member has it, or the e-mail's local part; undefined when it names
 * nobody on the team, or two people ("Léa" with two Léas: not guessed).
 */
function memberName(members: { name: string; email: string }[], typed: string) {
  const k = key(typed)
  if (!k) return undefined
  const exact = members.find((u) => key(u.name) === k)
  if (exact) return exact.name.trim()
  const byMail = members.find((u) => key(u.email) === k)
  if (byMail) return byMail.name.trim()
  const byFirst = members.filter((u) => key(u.name).split(/\s+/)[0] === k)
  if (byFirst.length === 1) return byFirst[0].name.trim()
  // two Léas: "Léa" names neither, even if one of them is lea@…
  const byLocal = members.find((u) => key(u.email.split('@')[0]) === k)
  if (byLocal && byFirst.length === 0) return byLocal.name.trim()
  return undefined
}

/**
 * The name to store for a typed assignee: a team member typed by first name, e-mail or another
 * case ("julien", "julien.bernard@acme.fr") is stored as their name ("Julien Bernard"), so the
 * feed's filter and the suggestions know one person once. Anyone else (an agency, a colleague
 * without an account) is kept as typed.
 */
export async function assigneeName(db: Db, typed: string): Promise<string> {
  const k = key(typed)
  if (!k) return typed
  const member = memberName(await namedMembers(db), typed)
  if (member) return member
  return (await usedAssignees(db)).find((u) => key(u) === k)?.trim() ?? typed
}

/**
 * Stored assignees that name a team member another way ("julien" next to "Julien Bernard": typed
 * before assigneeName existed, or before that person had an account) are rewritten to the
 * member's name, by assigneeName's rules, with one triage event per mention (actor "Vigie").
 * Names of nobody on the team, or of two people, stay as they are. Running it again changes
 * nothing. Returns what was merged, by stored name.
 */
export async function mergeAssignees(
  db: Db,
  now: Date,
): Promise<{ from: string; to: string; mentions: number }[]> {
  const members = await namedMembers(db)
  if (!members.length) return []
  // every name in use (not usedAssignees' first 200): a rewrite must not depend on which came first
  const stored = await db
    .selectFrom('mentions')
    .select('assignee')
    .distinct()
    .where('assignee', 'is not', null)
    .execute()
  const renames = stored
    .map((r) => ({ from: r.assignee!, to: memberName(members, r.assignee!) }))
    .filter((r): r is { from: string; to: string } => !!r.to && r.to !== r.from)
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0))
  const out = []
  for (const { from, to } of renames) {
    // the triage path itself: one event per mention, as a teammate's reassignment would leave
    const mentions = await db.transaction().execute(async (trx) => {
      const ids = (
        await trx.selectFrom('mentions').select('id').where('assignee', '=', from).execute()
      ).map((r) => r.id)
      let changed = 0
      for (let i = 0; i < ids.length; i += 500)
        changed += await applyTriage(trx, ids.slice(i, i + 500), { assignee: to }, 'Vigie', now)
      return changed
    })
    if (mentions) out.push({ from, to, mentions })
  }
  return out
}

export async function getMention(db: Db, id: number): Promise<MentionRow | undefined> {
  return (await selectMentionRows(db).where('mentions.id', '=', id).executeTakeFirst()) as
    MentionRow | undefined
}

export async function countMentions(db: Db): Promise<number> {
  const r = await db
    .selectFrom('mentions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst()
  return Number(r?.n ?? 0)
}

/** Highest mention id, the watermark the live pill counts new mentions from. */
export async function maxMentionId(db: Db): Promise<number> {
  const r = await db
    .selectFrom('mentions')
    .select((eb) => eb.fn.max('id').as('m'))
    .executeTakeFirst()
  return Number(r?.m ?? 0)
}

/** Mentions matching the filter stored after `afterId` (capped: the pill says "99+"). */
export async function countNewMentions(
  db: Db,
  dialect: 'sqlite' | 'postgres',
  f: MentionFilter,
  afterId: number,
  cap = 100,
): Promise<number> {
  const q = await filtered(db, dialect, { ...f, afterId })
  const rows = await q.clearSelect().select('mentions.id').limit(cap).execute()
  return rows.length
}

export type TriageStatus = 'new' | 'in_progress' | 'answered' | 'ignored'
export const STATUSES: TriageStatus[] = ['new', 'in_progress', 'answered', 'ignored']
export type Label = 'positive' | 'neutral' | 'negative'

export interface TriageChange {
  status?: TriageStatus
  assignee?: string | null
  note?: string | null
  answer_url?: string | null
  /** null clears the correction (back to Vigie's label). */
  manual_label?: Label | null
}

const TRIAGE_FIELDS = ['status', 'assignee', 'note', 'answer_url', 'manual_label'] as const

/**
 * Applies a triage change to mentions and records one event per field that actually changed
 * (who, when, old → new). Returns how many mentions changed.
 */
export async function triageMentions(
  db: Db,
  ids: number[],
  change: TriageChange,
  actor: string,
  now: Date,
): Promise<number> {
  if (!ids.length) return 0
  return db.transaction().execute((trx) => applyTriage(trx, ids, change, actor, now))
}

/** triageMentions inside a caller's transaction (a change made with something else). */
export async function applyTriage(
  trx: Db,
  ids: number[],
  change: TriageChange,
  actor: string,
  now: Date,
): Promise<number> {
  const at = now.toISOString()
  const before = await trx
    .selectFrom('mentions')
    .select(['id', ...TRIAGE_FIELDS])
    .where('id', 'in', ids)
    .execute()
  let changed = 0
  for (const m of before) {
    const set: Record<string, string | null> = {}
    const events = []
    for (const f of TRIAGE_FIELDS) {
      const next = change[f]
      if (next === undefined) continue
      const norm = next === '' ? null : next
      if ((m[f] ?? null) === norm) continue
      set[f] = norm
      events.push({ mention_id: m.id, at, actor, field: f, old_value: m[f], new_value: norm })
    }
    if (!events.length) continue
    if ('manual_label' in set) {
      set.manual_label_by = set.manual_label ? actor : null
      set.manual_label_at = set.manual_label ? at : null
    }
    await trx.updateTable('mentions').set(set).where('id', '=', m.id).execute()
    await trx.insertInto('mention_events').values(events).execute()
    changed++
  }
  return changed
}

/** Records something done about a mention that is not a column of it (e.g. muting its author). */
export async function recordMentionEvent(
  db: Db,
  e: { mentionId: number; actor: string; field: string; value: string | null },
  now: Date,
): Promise<void> {
  await db
    .insertInto('mention_events')
    .values({
      mention_id: e.mentionId,
      at: now.toISOString(),
      actor: e.actor,
      field: e.field,
      old_value: null,
      new_value: e.value,
    })
    .execute()
}

export async function listMentionEvents(db: Db, mentionId: number) {
  return db
    .selectFrom('mention_events')
    .selectAll()
    .where('mention_id', '=', mentionId)
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .execute()
}
