// Chat channels: where alerts go (a notifier id and its config), in which language, for which
// brands and alert kinds, on which clock, and when to hold them back (quiet hours). Config JSON
// holds secrets.
import type { Db } from '.'
import { notifiers } from '../server/notifiers'
import { decryptSecrets, encryptSecrets } from '../server/secrets'
import type { AlertKind, Channel, QuietHours } from './schema-alerts'

// Secret fields (webhook URLs, signing secrets: notifier `fields` of type secret) are encrypted at
// rest; reads below return them decrypted, writes encrypt them (server/secrets.ts).
function openRow<T extends Channel | undefined>(row: T): T {
  if (!row) return row
  const fields = notifiers.get(row.kind)?.fields ?? []
  if (!fields.some((f) => f.type === 'secret')) return row
  try {
    const config = JSON.parse(row.config) as Record<string, unknown>
    return { ...row, config: JSON.stringify(decryptSecrets(fields, config)) }
  } catch {
    return row
  }
}

function sealed(input: ChannelInput) {
  const fields = notifiers.get(input.kind)?.fields ?? []
  return { ...columns(input), config: JSON.stringify(encryptSecrets(fields, input.config)) }
}

export interface ChannelInput {
  name: string
  kind: string
  config: Record<string, unknown>
  lang: 'fr' | 'en'
  /** [] = every brand */
  brandIds: number[]
  /** [] = every kind */
  alertKinds: AlertKind[]
  /** the clock of its messages and of its quiet hours (which are stored with this zone); left
   * out: the quiet hours' zone if any, else Vigie's TZ (null) */
  timezone?: string | null
  quietHours: QuietHours | null
  enabled: boolean
}

export async function listChannels(db: Db): Promise<Channel[]> {
  return (await db.selectFrom('channels').selectAll().orderBy('name').execute()).map(openRow)
}

export async function getChannel(db: Db, id: number): Promise<Channel | undefined> {
  return openRow(
    await db.selectFrom('channels').selectAll().where('id', '=', id).executeTakeFirst(),
  )
}

export async function getChannelByName(db: Db, name: string): Promise<Channel | undefined> {
  return openRow(
    await db.selectFrom('channels').selectAll().where('name', '=', name).executeTakeFirst(),
  )
}

function columns(input: ChannelInput) {
  // one zone for the channel: its quiet hours are read on the same clock as its messages
  const timezone = input.timezone ?? input.quietHours?.timezone ?? null
  const quiet = input.quietHours && { ...input.quietHours, timezone: timezone! }
  return {
    name: input.name,
    kind: input.kind,
    config: JSON.stringify(input.config),
    lang: input.lang,
    brand_ids: JSON.stringify([...input.brandIds].sort((a, b) => a - b)),
    alert_kinds: JSON.stringify([...input.alertKinds].sort()),
    quiet_hours: quiet ? JSON.stringify(quiet) : null,
    timezone,
    enabled: input.enabled ? 1 : 0,
  }
}

export async function insertChannel(db: Db, input: ChannelInput, now: Date): Promise<Channel> {
  const ts = now.toISOString()
  const row = await db
    .insertInto('channels')
    .values({ ...sealed(input), created_at: ts, updated_at: ts })
    .returningAll()
    .executeTakeFirstOrThrow()
  return openRow(row)
}

export async function updateChannel(
  db: Db,
  id: number,
  input: ChannelInput,
  now: Date,
): Promise<void> {
  await db
    .updateTable('channels')
    .set({ ...sealed(input), updated_at: now.toISOString() })
    .where('id', '=', id)
    .execute()
}

export async function deleteChannel(db: Db, id: number): Promise<void> {
  await db.deleteFrom('channels').where('id', '=', id).execute()
}

/**
 * Insert or update by name (the YAML config is applied at every start). `enabled` left out: on for
 * a new channel, and the UI's switch stands for an existing one, as for brands and sources, so a
 * restart does not turn back on a channel someone switched off.
 */
export async function upsertChannel(
  db: Db,
  given: Omit<ChannelInput, 'enabled'> & { enabled?: boolean },
  now: Date,
): Promise<'created' | 'updated' | 'unchanged'> {
  const existing = await getChannelByName(db, given.name)
  const input = { ...given, enabled: given.enabled ?? (existing ? existing.enabled === 1 : true) }
  if (!existing) {
    await insertChannel(db, input, now)
    return 'created'
  }
  const next = columns(input) // plain, compared with the decrypted row
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
    timezone: ch.timezone,
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
