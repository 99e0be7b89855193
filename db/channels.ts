// Chat channels: where alerts go (a notifier id and its config), in which language, for which
// brands and alert kinds, and when to hold them back (quiet hours). Config JSON holds secrets.
import type { Db } from '.'
import type { AlertKind, Channel, QuietHours } from './schema-alerts'

export interface ChannelInput {
  name: string
  kind: string
  config: Record<string, unknown>
  lang: 'fr' | 'en'
  /** [] = every brand */
  brandIds: number[]
  /** [] = every kind */
  alertKinds: AlertKind[]
  quietHours: QuietHours | null
  enabled: boolean
}

export async function listChannels(db: Db): Promise<Channel[]> {
  return db.selectFrom('channels').selectAll().orderBy('name').execute()
}

export async function getChannel(db: Db, id: number): Promise<Channel | undefined> {
  return db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst()
}

export async function getChannelByName(db: Db, name: string): Promise<Channel | undefined> {
  return db.selectFrom('channels').selectAll().where('name', '=', name).executeTakeFirst()
}

function columns(input: ChannelInput) {
  return {
    name: input.name,
    kind: input.kind,
    config: JSON.stringify(input.config),
    lang: input.lang,
    brand_ids: JSON.stringify([...input.brandIds].sort((a, b) => a - b)),
    alert_kinds: JSON.stringify([...input.alertKinds].sort()),
    quiet_hours: input.quietHours ? JSON.stringify(input.quietHours) : null,
    enabled: input.enabled ? 1 : 0,
  }
}

export async function insertChannel(db: Db, input: ChannelInput, now: Date): Promise<Channel> {
  const ts = now.toISOString()
  return db
    .insertInto('channels')
    .values({ ...columns(input), created_at: ts, updated_at: ts })
    .returningAll()
    .executeTakeFirstOrThrow()
}

export async function updateChannel(
  db: Db,
  id: number,
  input: ChannelInput,
  now: Date,
): Promise<void> {
  await db
    .updateTable('channels')
    .set({ ...columns(input), updated_at: now.toISOString() })
    .where('id', '=', id)
    .execute()
}

export async function deleteChannel(db: Db, id: number): Promise<void> {
  await db.deleteFrom('channels').where('id', '=', id).execute()
}

/** Insert or update by name (the YAML config is applied at every start). */
export async function upsertChannel(
  db: Db,
  input: ChannelInput,
  now: Date,
): Promise<'created' | 'updated' | 'unchanged'> {
  const existing = await getChannelByName(db, input.name)
  if (!existing) {
    await insertChannel(db, input, now)
    return 'created'
  }
  const next = columns(input)
  const same = (Object.keys(next) as (keyof typeof next)[]).every((k) => existing[k] === next[k])
  if (same) return 'unchanged'
  await updateChannel(db, existing.id, input, now)
  return 'updated'
}

export function channelInput(ch: Channel): ChannelInput {
  return {
    name: ch.name,
    kind: ch.kind,
    config: JSON.parse(ch.config) as Record<string, unknown>,
    lang: ch.lang,
    brandIds: JSON.parse(ch.brand_ids) as number[],
    alertKinds: JSON.parse(ch.alert_kinds) as AlertKind[],
    quietHours: ch.quiet_hours ? (JSON.parse(ch.quiet_hours) as QuietHours) : null,
    enabled: ch.enabled === 1,
  }
}

/** Routing: does this channel take alerts of this kind for this brand? */
export function routes(ch: Channel, alert: { brand_id: number; kind: AlertKind }): boolean {
  if (!ch.enabled) return false
  const brands = JSON.parse(ch.brand_ids) as number[]
  const kinds = JSON.parse(ch.alert_kinds) as AlertKind[]
  return (
    (!brands.length || brands.includes(alert.brand_id)) &&
    (!kinds.length || kinds.includes(alert.kind))
  )
}

export const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz })
    return true
  } catch {
    return false
  }
}
