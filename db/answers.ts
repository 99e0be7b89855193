// Answers to mentions with four-eyes approval: a responder drafts; someone else (responder or
// admin) approves, which makes it "ready to publish"; any edit after approval voids it. Vigie never
// posts: once published by hand, the public link is attached to the mention.
import type { Db } from '.'
import type { Answer } from './schema-access'
import { applyTriage } from './mentions'

export async function getAnswer(db: Db, mentionId: number): Promise<Answer | undefined> {
  return db
    .selectFrom('answers')
    .selectAll()
    .where('mention_id', '=', mentionId)
    .orderBy('id', 'desc')
    .executeTakeFirst()
}

/** Creates or edits the draft; returns whether an approval was voided by this edit. */
export async function saveAnswerDraft(
  db: Db,
  mentionId: number,
  body: string,
  userId: number,
  now: Date,
): Promise<{ answer: Answer; voided: boolean; changed: boolean }> {
  const ts = now.toISOString()
  const existing = await getAnswer(db, mentionId)
  if (!existing || existing.status === 'published') {
    const answer = await db
      .insertInto('answers')
      .values({
        mention_id: mentionId,
        body,
        author_id: userId,
        updated_by: userId,
        created_at: ts,
        updated_at: ts,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    return { answer, voided: false, changed: true }
  }
  if (existing.body === body) return { answer: existing, voided: false, changed: false }
  const voided = existing.status === 'approved'
  const answer = await db
    .updateTable('answers')
    .set({
      body,
      updated_by: userId,
      updated_at: ts,
      status: 'draft',
      approved_by: null,
      approved_at: null,
    })
    .where('id', '=', existing.id)
    .returningAll()
    .executeTakeFirstOrThrow()
  return { answer, voided, changed: true }
}

export type ApproveOutcome =
  | 'approved'
  | 'same-person'
  | 'no-draft'
  /** the text changed since the approver's page showed it */
  | 'changed-since'
  /** the approver edited the text in the box: that text is not the one approved */
  | 'edited-here'

/**
 * The approver must not be the person who wrote the current text, and approves the text they
 * read: `read.version` is the updated_at their page showed, `read.body` the text in their box.
 */
export async function approveAnswer(
  db: Db,
  mentionId: number,
  userId: number,
  now: Date,
  read: { version?: string; body?: string } = {},
): Promise<ApproveOutcome> {
  const a = await getAnswer(db, mentionId)
  if (a && read.version && read.version !== a.updated_at) return 'changed-since'
  if (a && read.body !== undefined && read.body.trim() !== a.body.trim()) return 'edited-here'
  if (!a || a.status !== 'draft') return 'no-draft'
  if (a.updated_by === userId) return 'same-person'
  const r = await db
    .updateTable('answers')
    .set({ status: 'approved', approved_by: userId, approved_at: now.toISOString() })
    .where('id', '=', a.id)
    .where('status', '=', 'draft')
    .where('updated_at', '=', a.updated_at) // not if it was edited meanwhile
    .executeTakeFirst()
  return Number(r.numUpdatedRows) ? 'approved' : 'no-draft'
}

/** Records the public link of an approved answer on the answer and on the mention. */
export async function markAnswerPublished(
  db: Db,
  mentionId: number,
  url: string,
  now: Date,
  actor: string,
): Promise<boolean> {
  const a = await getAnswer(db, mentionId)
  if (!a || a.status !== 'approved') return false
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('answers')
      .set({ status: 'published', published_url: url, published_at: now.toISOString() })
      .where('id', '=', a.id)
      .execute()
    // in the mention's history like any triage: answered, with the public link
    await applyTriage(trx, [mentionId], { answer_url: url, status: 'answered' }, actor, now)
  })
  return true
}
