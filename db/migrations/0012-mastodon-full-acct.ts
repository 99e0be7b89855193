// Frozen once shipped: Mastodon authors stored as user@instance (collectors/mastodon.ts fullAcct).
// An instance names its own accounts "user" alone; those stored before read "user" while the same
// person seen from another instance read "user@instance", so erasing "@user@instance" missed them.
// A status's address is on its author's instance when the author is local, which gives the
// instance. Done in batches of ids, in code (no URL parsing in SQL on either database).
import type { Kysely } from 'kysely'

export async function up(db: Kysely<any>): Promise<void> {
  let after = 0
  for (;;) {
    const rows: { id: number; author: string; url: string }[] = await db
      .selectFrom('mentions')
      .innerJoin('sources', 'sources.id', 'mentions.source_id')
      .select(['mentions.id as id', 'mentions.author as author', 'mentions.url as url'])
      .where('sources.kind', '=', 'mastodon')
      .where('mentions.author', 'is not', null)
      .where('mentions.author', 'not like', '%@%')
      .where('mentions.id', '>', after)
      .orderBy('mentions.id')
      .limit(500)
      .execute()
    if (!rows.length) return
    for (const r of rows) {
      let host = ''
      try {
        host = new URL(r.url).hostname
      } catch {
        continue
      }
      if (host && r.author)
        await db
          .updateTable('mentions')
          .set({ author: `${r.author}@${host}` })
          .where('id', '=', r.id)
          .execute()
    }
    after = rows[rows.length - 1].id
  }
}
