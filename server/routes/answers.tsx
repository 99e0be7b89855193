// Four eyes on public answers: GET shows the mention and its answer (everyone signed in); drafting,
// approving and recording the published link need the responder role (route policy). Approval by
// the person who wrote the current text is refused; an edit after approval voids it. Approvals,
// voids and publications are audited.
import { Hono, type Context } from 'hono'
import { approveAnswer, getAnswer, markAnswerPublished, saveAnswerDraft } from '../../db/answers'
import { getMention, triageMentions } from '../../db/mentions'
import { getUser } from '../../db/users'
import { AnswerPage, AnswerPanel, type AnswerView } from '../../views/pages/answer'
import type { Env } from '../app'
import { audit } from '../auth'
import { allows } from '../auth/policy'
import { redirectAfterPost } from '../htmx'
import { actorOf, mentionDetail } from './mentions'

async function view(
  c: Context<Env>,
  extra: Partial<AnswerView> = {},
  mentionId = Number(c.req.param('id')),
): Promise<AnswerView> {
  const { db } = c.get('ctx')
  const answer = await getAnswer(db, mentionId)
  const approver = answer?.approved_by ? await getUser(db, answer.approved_by) : undefined
  const editor = answer ? await getUser(db, answer.updated_by) : undefined
  const me = c.get('user')
  const canWrite = allows('responder', me?.role ?? null)
  return {
    answer,
    approverName: approver?.name || approver?.email,
    editorName: editor?.name || editor?.email,
    canWrite,
    // the person who wrote the current text waits for someone else: no button that would refuse
    canApprove: canWrite && !!answer && answer.updated_by !== me?.id,
    ...extra,
  }
}

/** A refused form: shown where it was sent from (the mention's page, or the answer page). */
async function render(
  c: Context<Env>,
  extra: Partial<AnswerView> = {},
  status: 200 | 409 | 422 = 200,
) {
  const id = Number(c.req.param('id'))
  const form = c.req.method === 'POST' ? await c.req.parseBody() : {}
  if (form.back === `/mentions/${id}`) return mentionDetail(c, id, extra, status)
  const mention = await getMention(c.get('ctx').db, id)
  if (!mention) return c.notFound()
  return c.html(<AnswerPage v={c.get('v')} mention={mention} a={await view(c, extra)} />, status)
}

/** The answer panel for the mention detail page (its forms come back to that page). */
export async function answerPanel(
  c: Context<Env>,
  mentionId: number,
  extra: Partial<AnswerView> = {},
) {
  return (
    <AnswerPanel
      v={c.get('v')}
      mentionId={mentionId}
      a={await view(c, extra, mentionId)}
      back={`/mentions/${mentionId}`}
    />
  )
}

/** Where to go after a successful post: the page the form came from, if it is this mention's. */
async function backTo(
  c: Context<Env>,
  id: number,
  body?: Record<string, unknown>,
): Promise<string> {
  const b = body ?? (await c.req.parseBody())
  return b.back === `/mentions/${id}` ? `/mentions/${id}#answer-panel` : `/mentions/${id}/answer`
}

export const answerRoutes = new Hono<Env>()
  .get('/mentions/:id{[0-9]+}/answer', (c) => render(c))
  .post('/mentions/:id{[0-9]+}/answer', async (c) => {
    const ctx = c.get('ctx')
    const id = Number(c.req.param('id'))
    const mention = await getMention(ctx.db, id)
    if (!mention) return c.notFound()
    const form = await c.req.parseBody()
    const body = String(form.body ?? '').trim()
    if (!body) return render(c, { error: c.get('v').t('answers.empty'), typed: '' }, 422)
    const r = await saveAnswerDraft(ctx.db, id, body.slice(0, 5000), c.get('user')!.id, ctx.now())
    // someone is answering it: a new mention is in progress (in its history like any triage),
    // so a teammate scanning the "new" ones does not start a second answer
    if (mention.status === 'new')
      await triageMentions(ctx.db, [id], { status: 'in_progress' }, actorOf(c), ctx.now())
    await audit(c, {
      action: r.voided ? 'answers.approval-voided' : 'answers.draft',
      outcome: 'ok',
      detail: { mentionId: id, answerId: r.answer.id },
    })
    return redirectAfterPost(c, await backTo(c, id, form))
  })
  .post('/mentions/:id{[0-9]+}/answer/approve', async (c) => {
    const ctx = c.get('ctx')
    const id = Number(c.req.param('id'))
    if (!(await getMention(ctx.db, id))) return c.notFound()
    const t = c.get('v').t
    // The approver approves the text they read: the form sends the version the page showed and
    // the text in the box. An edit by the author since, or by the approver in the box, refuses
    // the approval (the approver's text is kept in the box, to save as a new draft).
    const form = await c.req.parseBody()
    const typed = typeof form.body === 'string' ? form.body.trim() : undefined
    const version = typeof form.version === 'string' ? form.version : undefined
    const outcome = await approveAnswer(ctx.db, id, c.get('user')!.id, ctx.now(), {
      version,
      body: typed,
    })
    await audit(c, {
      action: 'answers.approve',
      outcome: outcome === 'approved' ? 'ok' : 'denied',
      detail: { mentionId: id, outcome },
    })
    if (outcome === 'same-person') return render(c, { error: t('answers.needOther') }, 409)
    if (outcome === 'edited-here') return render(c, { error: t('answers.editedHere'), typed }, 409)
    if (outcome === 'changed-since') return render(c, { error: t('answers.changedSince') }, 409)
    if (outcome === 'no-draft') return render(c, {}, 409)
    return redirectAfterPost(c, await backTo(c, id, form))
  })
  .post('/mentions/:id{[0-9]+}/answer/published', async (c) => {
    const ctx = c.get('ctx')
    const id = Number(c.req.param('id'))
    if (!(await getMention(ctx.db, id))) return c.notFound()
    const form = await c.req.parseBody()
    const url = String(form.url ?? '').trim()
    let ok = false
    try {
      ok = /^https?:$/.test(new URL(url).protocol)
    } catch {}
    if (!ok) return render(c, { error: c.get('v').t('answers.invalidUrl'), typedUrl: url }, 422)
    if (!(await markAnswerPublished(ctx.db, id, url, ctx.now(), actorOf(c))))
      return render(c, { error: c.get('v').t('answers.notApproved') }, 409)
    await audit(c, { action: 'answers.published', outcome: 'ok', detail: { mentionId: id } })
    return redirectAfterPost(c, await backTo(c, id, form))
  })
