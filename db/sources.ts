// Sources: what to poll, how often, the collector's state, and the health the user sees.
// Every exit path of a poll goes through recordPollSuccess or recordPollFailure.
import type { Db } from '.'
import { collectors } from '../collectors'
import { decryptSecrets, encryptSecrets } from '../server/secrets'
import type { Source } from './schema'

// Secret fields (collector `fields` of type secret) are encrypted at rest; every read below
// returns them decrypted, every write encrypts them, so callers only ever see plain config.
function sealConfig(kind: string, config: Record<string, unknown>): string {
  return JSON.stringify(encryptSecrets(collectors.get(kind)?.fields ?? [], config))
}

function openRow<T extends Source | undefined>(row: T): T {
  if (!row) return row
  const fields = collectors.get(row.kind)?.fields ?? []
  if (!fields.some((f) => f.type === 'secret')) return row
  let parsed: Record<string, unknown>
  try {
    parsed = JSON.parse(row.config) as Record<string, unknown>
  } catch {
    return row
  }
  return { ...row, config: JSON.stringify(decryptSecrets(fields, parsed)) }
}

export async function listSources(db: Db): Promise<Source[]> {
  return (await db.selectFrom('sources').selectAll().orderBy('name').execute()).map(openRow)
}

export async function getSource(db: Db, id: number): Promise<Source | undefined> {
  return openRow(await db.selectFrom('sources').selectAll().where('id', '=', id).executeTakeFirst())
}

export async function getSourceByName(db: Db, name: string): Promise<Source | undefined> {
  return openRow(
    await db.selectFrom('sources').selectAll().where('name', '=', name).executeTakeFirst(),
  )
}

export interface SourceInput {
  name: string
  kind: string
  config: Record<string, unknown>
  intervalSeconds: number
  brandId?: number | null
  enabled?: boolean
}

export async function insertSource(db: Db, input: SourceInput, now: Date): Promise<Source> {
  const ts = now.toISOString()
  const row = await db
    .insertInto('sources')
    .values({
      name: input.name,
      kind: input.kind,
      config: sealConfig(input.kind, input.config),
      brand_id: input.brandId ?? null,
      interval_seconds: input.intervalSeconds,
      enabled: input.enabled === false ? 0 : 1,
      next_check_at: ts, // poll a new source right away
      created_at: ts,
      updated_at: ts,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  return openRow(row)
}

export async function updateSource(
  db: Db,
  id: number,
  input: Partial<SourceInput>,
  now: Date,
): Promise<void> {
  const existing = await getSource(db, id)
  if (!existing) return
  const configChanged =
    input.config !== undefined && JSON.stringify(input.config) !== existing.config
  // A new interval counts from the last poll: "every day" shortened to "every 90 s" polls now, not
  // tomorrow. A source backing off after failures keeps its wait (error_count > 0).
  const intervalChanged =
    input.intervalSeconds !== undefined &&
    input.intervalSeconds !== existing.interval_seconds &&
    existing.error_count === 0
  const lastPoll = existing.last_polled_at ? Date.parse(existing.last_polled_at) : now.getTime()
  const rescheduled = intervalChanged
    ? new Date(Math.max(now.getTime(), lastPoll + input.intervalSeconds! * 1000)).toISOString()
    : undefined
  await db
    .updateTable('sources')
    .set({
      ...(input.name !== undefined && { name: input.name }),
      ...(input.kind !== undefined && { kind: input.kind }),
      ...(input.config !== undefined && {
        config: sealConfig(input.kind ?? existing.kind, input.config),
      }),
      ...(input.brandId !== undefined && { brand_id: input.brandId }),
      ...(input.intervalSeconds !== undefined && { interval_seconds: input.intervalSeconds }),
      ...(input.enabled !== undefined && { enabled: input.enabled ? 1 : 0 }),
      ...(rescheduled && { next_check_at: rescheduled }),
      // A new address or query invalidates validators and cursors; poll it now.
      ...(configChanged && { state: '{}', next_check_at: now.toISOString(), error_count: 0 }),
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .execute()
}

export async function upsertSource(
  db: Db,
  input: SourceInput,
  now: Date,
): Promise<'created' | 'updated' | 'unchanged'> {
  const existing = await getSourceByName(db, input.name)
  if (!existing) {
    await insertSource(db, input, now)
    return 'created'
  }
  const same =
    existing.kind === input.kind &&
    existing.config === JSON.stringify(input.config) &&
    existing.interval_seconds === input.intervalSeconds &&
    existing.brand_id === (input.brandId ?? null) &&
    // omitted: the UI's switch stands (updateSource leaves it too), so it is no change either
    (input.enabled === undefined || existing.enabled === (input.enabled ? 1 : 0))
  if (same) return 'unchanged'
  await updateSource(db, existing.id, { ...input, brandId: input.brandId ?? null }, now)
  return 'updated'
}

export async function deleteSource(db: Db, id: number): Promise<void> {
  await db.deleteFrom('sources').where('id', '=', id).execute()
}

// (a function, not a constant: the collector registry may still be loading when this module is)
const pushKinds = () => [...collectors.values()].filter((c) => c.pushOnly).map((c) => c.id)

/** Enabled sources whose next check is due, oldest first. */
export async function dueSources(db: Db, now: Date, limit: number): Promise<Source[]> {
  const rows = await db
    .selectFrom('sources')
    .selectAll()
    .where('enabled', '=', 1)
    // push sources receive their mentions; nothing to fetch
    .where('kind', 'not in', pushKinds())
    .where('next_check_at', '<=', now.toISOString())
    .orderBy('next_check_at')
    .limit(limit)
    .execute()
  return rows.map(openRow)
}

/**
 * Takes a source for one poll: moves next_check_at from the value the poller read to the end of a
 * lease, in one conditional UPDATE. Several processes on one Postgres read the same due sources
 * at the same tick; only the first to claim a source polls it (one request, one failure counted,
 * one back-off step). A poller that dies mid-poll leaves the source due again when the lease ends.
 */
export async function claimPoll(
  db: Db,
  source: Pick<Source, 'id' | 'next_check_at'>,
  now: Date,
  leaseUntil: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('sources')
    .set({ last_polled_at: now.toISOString(), next_check_at: leaseUntil.toISOString() })
    .where('id', '=', source.id)
    .where('next_check_at', '=', source.next_check_at)
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function recordPollSuccess(
  db: Db,
  id: number,
  r: {
    now: Date
    nextCheckAt: Date
    state: unknown
    newCount: number
    itemCount: number
    warning?: string
  },
): Promise<void> {
  await db
    .updateTable('sources')
    .set({
      state: JSON.stringify(r.state ?? {}),
      next_check_at: r.nextCheckAt.toISOString(),
      last_ok_at: r.now.toISOString(),
      error_count: 0,
      last_new_count: r.newCount,
      last_item_count: r.itemCount,
      warning: r.warning ?? null,
    })
    .where('id', '=', id)
    .execute()
}

export async function recordPollFailure(
  db: Db,
  id: number,
  r: { now: Date; nextCheckAt: Date; message: string; code: string; state?: unknown },
): Promise<void> {
  await db
    .updateTable('sources')
    .set((eb) => ({
      next_check_at: r.nextCheckAt.toISOString(),
      last_error: r.message.slice(0, 1000),
      last_error_code: r.code,
      last_error_at: r.now.toISOString(),
      error_count: eb('error_count', '+', 1),
      ...(r.state !== undefined && { state: JSON.stringify(r.state) }),
    }))
    .where('id', '=', id)
    .execute()
}

/** Saves a streaming source's cursor without touching its schedule. */
export async function saveSourceState(db: Db, id: number, state: unknown): Promise<void> {
  await db
    .updateTable('sources')
    .set({ state: JSON.stringify(state) })
    .where('id', '=', id)
    .execute()
}

/** The most recent successful poll of any source (for /healthz). */
export async function lastGoodPoll(db: Db): Promise<string | null> {
  const row = await db
    .selectFrom('sources')
    .select((eb) => eb.fn.max('last_ok_at').as('t'))
    .executeTakeFirst()
  return (row?.t as string | null) ?? null
}

export type SourceHealth = 'ok' | 'pending' | 'slowed' | 'failing' | 'paused'

/** What the sources page shows: failing after 3 errors in a row, slowed while backing off. */
export function sourceHealth(
  s: Pick<Source, 'enabled' | 'error_count' | 'last_ok_at'>,
): SourceHealth {
  if (!s.enabled) return 'paused'
  if (s.error_count >= 3) return 'failing'
  if (s.error_count > 0) return 'slowed'
  return s.last_ok_at ? 'ok' : 'pending'
}

/** Mentions stored from a source: what deleting it deletes with it (they cascade). */
export async function sourceMentionCount(db: Db, id: number): Promise<number> {
  const r = await db
    .selectFrom('mentions')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('source_id', '=', id)
    .executeTakeFirst()
  return Number(r?.n ?? 0)
}
