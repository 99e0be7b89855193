// Alerts: reads shared by the dashboard, the digest and the alerts pages. The detector and the
// lifecycle (server/alerts.ts) write them.
import type { Db } from '.'
import type { Alert, AlertKind, AlertStatus, AlertSummary } from './schema-alerts'

export type AlertRow = Alert & { brand_name: string }

export interface AlertFilter {
  brandId?: number
  status?: AlertStatus | AlertStatus[]
  kind?: AlertKind
  /** Alerts whose incident overlaps [from, to). */
  from?: string
  to?: string
  limit?: number
}

export async function listAlerts(db: Db, f: AlertFilter = {}): Promise<AlertRow[]> {
  let q = db
    .selectFrom('alerts')
    .innerJoin('brands', 'brands.id', 'alerts.brand_id')
    .selectAll('alerts')
    .select('brands.name as brand_name')
  if (f.brandId) q = q.where('alerts.brand_id', '=', f.brandId)
  if (f.status) q = q.where('alerts.status', 'in', Array.isArray(f.status) ? f.status : [f.status])
  if (f.kind) q = q.where('alerts.kind', '=', f.kind)
  if (f.to) q = q.where('alerts.started_at', '<', f.to)
  if (f.from)
    q = q.where((eb) =>
      eb.or([eb('alerts.resolved_at', 'is', null), eb('alerts.resolved_at', '>=', f.from!)]),
    )
  return q
    .orderBy('alerts.started_at', 'desc')
    .limit(f.limit ?? 200)
    .execute()
}

export async function listOpenAlerts(db: Db, brandId?: number): Promise<AlertRow[]> {
  return listAlerts(db, { brandId, status: ['open', 'acknowledged'] })
}

export async function getAlert(db: Db, id: number): Promise<AlertRow | undefined> {
  return db
    .selectFrom('alerts')
    .innerJoin('brands', 'brands.id', 'alerts.brand_id')
    .selectAll('alerts')
    .select('brands.name as brand_name')
    .where('alerts.id', '=', id)
    .executeTakeFirst()
}

// ---- writes (server/alerts.ts owns the lifecycle) ----

export type NewAlertRow = Omit<Alert, 'id'>

export async function insertAlert(db: Db, row: NewAlertRow): Promise<Alert> {
  return db.insertInto('alerts').values(row).returningAll().executeTakeFirstOrThrow()
}

export async function updateAlert(db: Db, id: number, set: Partial<NewAlertRow>): Promise<void> {
  await db.updateTable('alerts').set(set).where('id', '=', id).execute()
}

/** Alerts of a brand whose incident may still be matched by a detection replay starting at `since`. */
export async function alertsSince(db: Db, brandId: number, since: string): Promise<Alert[]> {
  return db
    .selectFrom('alerts')
    .selectAll()
    .where('brand_id', '=', brandId)
    .where((eb) => eb.or([eb('started_at', '>=', since), eb('status', '!=', 'resolved')]))
    .orderBy('started_at')
    .execute()
}

/** open → acknowledged; returns false when the alert was not open. */
export async function acknowledgeAlert(
  db: Db,
  id: number,
  by: string,
  now: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('alerts')
    .set({
      status: 'acknowledged',
      acknowledged_by: by,
      acknowledged_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

/** open | acknowledged → resolved; `by` null means resolved automatically. */
export async function resolveAlert(
  db: Db,
  id: number,
  by: string | null,
  now: Date,
): Promise<boolean> {
  const r = await db
    .updateTable('alerts')
    .set({
      status: 'resolved',
      resolved_by: by,
      resolved_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .where('status', '!=', 'resolved')
    .executeTakeFirst()
  return Number(r.numUpdatedRows) === 1
}

export async function setBrandSensitivity(
  db: Db,
  brandId: number,
  sensitivity: 'fewer' | 'balanced' | 'more',
  now: Date,
): Promise<void> {
  await db
    .updateTable('brands')
    .set({ sensitivity, updated_at: now.toISOString() })
    .where('id', '=', brandId)
    .execute()
}

/** The alert's summary JSON with defaults for what an older or broken row lacks. */
export function parseSummary(a: Pick<Alert, 'summary' | 'updated_at'>): AlertSummary {
  const empty: AlertSummary = {
    count: 0,
    sources: [],
    terms: [],
    sample_ids: [],
    until: a.updated_at,
  }
  try {
    return { ...empty, ...JSON.parse(a.summary) }
  } catch {
    return empty
  }
}
