// Alerts: reads shared by the dashboard, the digest and the alerts pages. The detector and the
// lifecycle (server/alerts.ts) write them.
import type { Db } from '.'
import type { Alert, AlertKind, AlertStatus } from './schema-alerts'

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
