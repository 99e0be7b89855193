// Mentions by assignee: the feed's assignee filter and the team's names (db/mentions.ts
// teamNames) read the few assigned rows through a partial index instead of scanning every mention.
import { sql, type Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('mentions_assignee')
    .on('mentions')
    .column('assignee')
    .where(sql.ref('assignee'), 'is not', null)
    .execute()
}
