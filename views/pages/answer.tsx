// The answer panel of a mention: draft, approval by someone else, then the link once published by
// hand. `AnswerPanel` can be embedded in a mention detail page; `AnswerPage` stands alone.
import type { MentionRow } from '../../db/mentions'
import type { Answer } from '../../db/schema-access'
import { Field } from '../components'
import { Layout } from '../layout'
import { textLang } from '../partials/mention-list'
import type { ViewCtx } from '../view-context'

export interface AnswerView {
  answer?: Answer
  approverName?: string
  /** who wrote the current text */
  editorName?: string
  error?: string
  notice?: string
  canWrite: boolean
  /** may approve the current text (a responder who did not write it) */
  canApprove?: boolean
  /** what the person had typed when their form was refused (kept, not lost) */
  typed?: string
  typedUrl?: string
}

export function AnswerPanel(props: {
  v: ViewCtx
  mentionId: number
  a: AnswerView
  /** The page embedding the panel, to come back to after each form. */
  back?: string
}) {
  const { v, mentionId, a } = props
  const back = props.back ? <input type="hidden" name="back" value={props.back} /> : null
  const ans = a.answer
  const status = ans?.status ?? 'draft'
  const base = `/mentions/${mentionId}/answer`
  return (
    <section class="card answer-panel" id="answer-panel" aria-labelledby="h-answer">
      <h2 id="h-answer">
        {v.t('answers.title')}{' '}
        {ans ? (
          <span class={`badge answer-${status}`} id="answer-status">
            {v.t(`answers.status.${status}` as 'answers.status.draft')}
          </span>
        ) : null}
      </h2>
      {a.canWrite ? <p class="muted small">{v.t('answers.help')}</p> : null}
      {!a.canWrite && !ans ? <p class="muted">{v.t('answers.none')}</p> : null}
      {a.error ? (
        // focused on arrival, like a form's error summary (components.tsx ErrorSummary)
        <div class="alert alert-error" role="alert" id="answer-error" tabindex={-1} autofocus>
          {a.error}
        </div>
      ) : null}
      {a.notice ? (
        <div class="alert" role="status">
          {a.notice}
        </div>
      ) : null}
      {/* who approved stays on record once published: that is the four eyes' trace */}
      {(ans?.status === 'approved' || ans?.status === 'published') && a.approverName ? (
        <p>
          {v.t('answers.approvedBy', {
            who: a.approverName,
            when: v.fmt.relative(ans.approved_at, v.now),
          })}
        </p>
      ) : null}
      {ans?.status === 'published' ? (
        <>
          <blockquote class="published-answer">{ans.body}</blockquote>
          <p>
            {v.t('answers.publishedAt', { when: v.fmt.relative(ans.published_at, v.now) })}{' '}
            <a href={ans.published_url ?? '#'} rel="noopener noreferrer" target="_blank">
              {ans.published_url}
            </a>
          </p>
        </>
      ) : null}
      {a.canWrite ? (
        <>
          <form method="post" action={base} class="form">
            {back}
            {/* the version the approver read: an edit since refuses the approval */}
            {ans ? <input type="hidden" name="version" value={ans.updated_at} /> : null}
            <Field
              id="answer-body"
              label={v.t(ans?.status === 'published' ? 'answers.followUp' : 'answers.body')}
              required
            >
              <textarea
                id="answer-body"
                class="prose"
                name="body"
                rows={5}
                required
                maxlength={5000}
              >
                {a.typed ?? (ans && ans.status !== 'published' ? ans.body : '')}
              </textarea>
            </Field>
            <div class="form-actions">
              <button class="btn" type="submit">
                {v.t('answers.save')}
              </button>
              {/* in the same form, so the server sees the text as the approver has it */}
              {ans?.status === 'draft' && a.canApprove ? (
                <button class="btn btn-primary" type="submit" formaction={`${base}/approve`}>
                  {v.t('answers.approve')}
                </button>
              ) : null}
            </div>
          </form>
          {ans?.status === 'draft' && !a.canApprove ? (
            <p class="muted" id="answer-awaiting">
              {v.t('answers.awaiting', { who: a.editorName ?? v.t('alerts.someone') })}
            </p>
          ) : null}
          {ans?.status === 'approved' ? (
            <form method="post" action={`${base}/published`} class="form">
              {back}
              <Field id="answer-url" label={v.t('answers.publishedUrl')} required>
                <input id="answer-url" name="url" type="url" required value={a.typedUrl} />
              </Field>
              <button class="btn btn-primary" type="submit">
                {v.t('answers.markPublished')}
              </button>
            </form>
          ) : null}
        </>
      ) : ans && ans.status !== 'published' ? (
        <blockquote>{ans.body}</blockquote>
      ) : null}
    </section>
  )
}

export function AnswerPage(props: { v: ViewCtx; mention: MentionRow; a: AnswerView }) {
  const { v, mention } = props
  return (
    <Layout v={v} title={v.t('answers.title')}>
      <p>
        <a href="/mentions">{v.t('nav.mentions')}</a>
      </p>
      <article class="card mention-detail">
        <h1 class="mention-title" lang={mention.title ? textLang(mention.lang) : undefined}>
          <a href={mention.url} rel="noopener noreferrer nofollow">
            {mention.title || mention.url}
          </a>
        </h1>
        <p class="muted small">
          {mention.brand_name} · {mention.source_name}
          {mention.author ? ` · ${mention.author}` : ''} · {v.fmt.dateTime(mention.published_at)}
        </p>
        <p class="mention-text" lang={textLang(mention.lang)}>
          {mention.text}
        </p>
      </article>
      <AnswerPanel v={v} mentionId={mention.id} a={props.a} />
    </Layout>
  )
}
