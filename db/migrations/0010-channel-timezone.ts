// Frozen once shipped: a channel's own time zone, for the times its messages show and for its
// quiet hours (a Montréal team's channel on a Vigie set to Paris). Null: Vigie's TZ. A channel
// with quiet hours takes the zone they were set in, the one its team gave.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  await db.schema.alterTable('channels').addColumn('timezone', 'text').execute()
  const zone =
    dialect === 'postgres'
      ? sql`(quiet_hours::json ->> 'timezone')`
      : sql`json_extract(quiet_hours, '$.timezone')`
  await sql`update channels set timezone = ${zone} where quiet_hours is not null`.execute(db)
}
