// Frozen once shipped: what the channels were last told about an alert (its score and its extra
// mentions at the peak), so "the incident is growing" is posted against that and not against the
// last figures stored, which follow the incident silently. Existing alerts start from their
// current peak.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('alerts').addColumn('told_score', 'real').execute()
  await db.schema.alterTable('alerts').addColumn('told_excess', 'real').execute()
  await sql`update alerts set told_score = score, told_excess = peak_value - baseline`.execute(db)
}
