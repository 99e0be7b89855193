// The mentions feed (page, or the list partial for htmx), live arrivals, the mention detail page,
// triage (one mention or a selection) and muting an author or a domain for a brand, with undo.
import { Hono, type Context } from 'hono'
import type { Child } from 'hono/jsx'
import type { Db } from '../../db'
import { addExclusion, deleteExclusion } from '../../db/exclusions'
import {
  getMention,
  listMentionEvents,
  listMentions,
  maxMentionId,
  countNewMentions,
  recordMentionEvent,
  STATUSES,
  triageMentions,
  type Label,
  type MentionRow,
  type TriageChange,
  type TriageStatus,
  teamNames,
  assigneeName,
} from '../../db/mentions'
import type { FieldErrors } from '../../views/components'
import {
  DetailHead,
  Feed,
  History,
  MentionDetailPage,
  MentionsPage,
  MuteBox,
  SentimentFact,
  TriageForm,
  TRIAGE_FORM_FIELDS,
  triageValues,
  type TriageValues,
} from '../../views/pages/mentions'
import { LivePill, MentionItem, MentionList, hostOf } from '../../views/partials/mention-list'
import type { Env } from '../app'
import { audit } from '../auth'
import type { AnswerView } from '../../views/pages/answer'
import { answerPanel } from './answers'
import { isPartial, redirectAfterPost, varyOnHtmx } from '../htmx'
import { BadQuery, parseMentionQuery } from './params'
import { oneLine } from '../text'

/** A feed query from a page: calendar days are read in the zone the page shows dates in. */
function pageQuery(
  c: Context<Env>,
  query: Record<string, string>,
  limits: { limit: number; maxLimit: number },
) {
  const ctx = c.get('ctx')
  return parseMentionQuery(ctx.db, query, ctx.now(), limits, c.get('v').tz)
}

/** Who did it: the signed-in user once access control lands, else 'anonymous'. */
export function actorOf(c: Context<Env>): string {
  const u = c.get('user')
  return u?.name || u?.email || 'anonymous'
}

const FILTER_KEYS = [
  'q',
  'brand',
  'source',
  'kind',
  'sentiment',
  'lang',
  'status',
  'author',
  'assignee',
  'domain',
  'since',
  'from',
  'until',
] as const

function filterQuery(raw: Record<string, string | undefined>): string {
  return new URLSearchParams(
    FILTER_KEYS.filter((k) => raw[k]).map((k) => [k, raw[k]!] as [string, string]),
  ).toString()
}

const LABELS: Label[] = ['positive', 'neutral', 'negative']

/**
 * A mention's page; `answer` carries what the answer panel must say after one of its forms failed
 * (the error, the text as typed), so the person stays on the mention they were answering.
 */
export async function mentionDetail(
  c: Context<Env>,
  id: number,
  answer: Partial<AnswerView> = {},
  status: 200 | 409 | 422 = 200,
) {
  const { db } = c.get('ctx')
  const m = await getMention(db, id)
  if (!m) return c.notFound()
  const events = await listMentionEvents(db, m.id)
  return c.html(
    <MentionDetailPage
      v={c.get('v')}
      m={m}
      events={events}
      triage={{ values: triageValues(m), errors: {} }}
      answer={await answerPanel(c, m.id, answer)}
      team={await teamNames(db)}
    />,
    status,
  )
}

/**
 * What a triage form changed, against what it showed (its was_* fields): only those fields are
 * saved, so a page left open does not put back what a colleague changed since. A field both
 * changed (here, and by someone else since the form was drawn) is a conflict, unless both chose
 * the same. A form without was_* fields (the list's inline status, the API) saves what it sends.
 */
export function sinceForm(
  body: Record<string, unknown>,
  stored: TriageValues,
  change: TriageChange,
): { change: TriageChange; conflicts: (keyof TriageValues)[] } {
  const out: TriageChange = { ...change }
  const conflicts: (keyof TriageValues)[] = []
  const str = (x: unknown) => (typeof x === 'string' ? x.trim() : undefined)
  for (const k of TRIAGE_FORM_FIELDS) {
    const was = str(body[`was_${k}`])
    const sent = str(body[k])
    if (was === undefined || sent === undefined || !(k in out)) continue
    if (sent === was) delete out[k]
    else if (stored[k] !== was && stored[k] !== sent) conflicts.push(k)
  }
  return { change: out, conflicts }
}

/**
 * The triage form's htmx answer: the form, and the parts of the mention's page it changes (head,
 * Sentiment line, history), as the mention now stands.
 */
async function withPage(c: Context<Env>, m: MentionRow, form: Child) {
  const v = c.get('v')
  const events = await listMentionEvents(c.get('ctx').db, m.id)
  return (
    <>
      {form}
      <hx-partial hx-target="#detail-head" hx-swap="outerHTML">
        <DetailHead v={v} m={m} />
      </hx-partial>
      <hx-partial hx-target="#sentiment-fact" hx-swap="outerHTML">
        <SentimentFact v={v} m={m} />
      </hx-partial>
      <hx-partial hx-target="#history" hx-swap="outerHTML">
        <History v={v} events={events} />
      </hx-partial>
    </>
  )
}

/** Validates the fields present in a triage form; absent fields are left as they are. */
export function parseTriage(body: Record<string, unknown>): {
  change: TriageChange
  errors: FieldErrors
} {
  const change: TriageChange = {}
  const errors: FieldErrors = {}
  const str = (k: string) => (typeof body[k] === 'string' ? (body[k] as string).trim() : undefined)
  const status = str('status')
  if (status !== undefined) {
    if (STATUSES.includes(status as TriageStatus)) change.status = status as TriageStatus
    else errors.status = 'status'
  }
  const typed = str('assignee')
  const assignee = typed === undefined ? undefined : oneLine(typed)
  if (assignee !== undefined) {
    if (assignee.length > 80) errors.assignee = 'max 80'
    else change.assignee = assignee || null
  }
  const note = str('note')
  if (note !== undefined) {
    if (note.length > 2000) errors.note = 'max 2000'
    else change.note = note || null
  }
  // The public answer's link is attached only through the four-eyes flow (server/routes/answers),
  // once an approved answer is marked published: triage cannot set it.
  const label = str('manual_label')
  if (label !== undefined) {
    if (label && !LABELS.includes(label as Label)) errors.manual_label = 'label'
    else change.manual_label = (label as Label) || null
  }
  return { change, errors }
}

const langCache = new WeakMap<Db, { at: number; langs: Promise<string[]> }>()

/**
 * Languages offered by the filter: fr and en, plus any seen among the latest mentions (a small
 * index-ordered sample, refreshed every few minutes, never a scan of every mention).
 */
function recentLanguages(db: Db): Promise<string[]> {
  const hit = langCache.get(db)
  if (hit && Date.now() - hit.at < 300_000) return hit.langs
  const langs = db
    .selectFrom((eb) =>
      eb.selectFrom('mentions').select('lang').orderBy('published_at', 'desc').limit(2000).as('r'),
    )
    .select('lang')
    .distinct()
    .execute()
    .then((rows) => [...new Set(['fr', 'en', ...rows.map((r) => r.lang)])].sort())
  langs.catch(() => langCache.delete(db))
  langCache.set(db, { at: Date.now(), langs })
  return langs
}

export const mentionRoutes = new Hono<Env>()
  .get('/mentions', async (c) => {
    const ctx = c.get('ctx')
    const v = c.get('v')
    varyOnHtmx(c)
    let p
    let error: string | undefined
    const limits = { limit: 30, maxLimit: 100 }
    try {
      p = await pageQuery(c, c.req.query(), limits)
    } catch (err) {
      if (!(err instanceof BadQuery)) throw err
      if (isPartial(c)) return c.text(err.message, 400)
      // a stale bookmark (a brand since deleted…): the feed, unfiltered, saying what was ignored
      // named as it stands in the address (the API's English explanation is no use on a page)
      const given = c.req.query(err.param)
      error = v.t('feed.badFilter', { detail: given ? `${err.param}=${given}` : err.param })
      p = await pageQuery(c, {}, limits)
    }
    const [{ rows, nextCursor }, watermark] = await Promise.all([
      listMentions(ctx.db, ctx.dialect, p.filter, { limit: p.limit, cursor: p.cursor }),
      maxMentionId(ctx.db),
    ])
    const fq = filterQuery(p.raw)
    const nextUrl = nextCursor ? `/mentions?${fq ? fq + '&' : ''}cursor=${nextCursor}` : null
    if (isPartial(c))
      return c.html(
        <MentionList
          v={v}
          rows={rows}
          nextUrl={nextUrl}
          append={!!p.cursor}
          q={p.raw.q}
          selectable
        />,
      )
    const [brands, sources, langs, team] = await Promise.all([
      ctx.db.selectFrom('brands').select(['id', 'name']).orderBy('name').execute(),
      ctx.db.selectFrom('sources').select(['id', 'name', 'kind']).orderBy('name').execute(),
      recentLanguages(ctx.db),
      teamNames(ctx.db),
    ])
    return c.html(
      <MentionsPage
        v={v}
        f={p.raw}
        brands={brands}
        sources={sources}
        kinds={[...new Set(sources.map((s) => s.kind))].sort()}
        langs={langs}
        team={team}
        rows={rows}
        nextUrl={nextUrl}
        live={{ after: watermark, query: fq }}
        error={error}
      />,
      error ? 400 : 200,
    )
  })
  // Polled by the live pill: how many mentions matching the filters arrived after the watermark.
  .get('/mentions/live', async (c) => {
    const ctx = c.get('ctx')
    let p
    try {
      p = await pageQuery(c, c.req.query(), { limit: 30, maxLimit: 100 })
    } catch (err) {
      if (err instanceof BadQuery) return c.text(err.message, 400)
      throw err
    }
    const after = p.filter.afterId ?? 0
    const count = await countNewMentions(ctx.db, ctx.dialect, p.filter, after)
    return c.html(
      <LivePill v={c.get('v')} after={after} count={count} query={filterQuery(p.raw)} />,
    )
  })
  // The pill's click: the new mentions to insert at the top, and a fresh pill past them.
  .get('/mentions/arrivals', async (c) => {
    const ctx = c.get('ctx')
    const v = c.get('v')
    let p
    try {
      p = await pageQuery(c, c.req.query(), { limit: 100, maxLimit: 100 })
    } catch (err) {
      if (err instanceof BadQuery) return c.text(err.message, 400)
      throw err
    }
    const { rows } = await listMentions(ctx.db, ctx.dialect, p.filter, { limit: 100 })
    rows.sort((a, b) => b.id - a.id)
    const watermark = Math.max(p.filter.afterId ?? 0, ...rows.map((r) => r.id))
    return c.html(
      <>
        {rows.map((m, i) => (
          <MentionItem v={v} m={m} q={p.raw.q} selectable focus={i === 0} />
        ))}
        <hx-partial hx-target="#live" hx-swap="outerHTML">
          <LivePill v={v} after={watermark} count={0} query={filterQuery(p.raw)} />
        </hx-partial>
      </>,
    )
  })
  .get('/mentions/:id{[0-9]+}', (c) => mentionDetail(c, Number(c.req.param('id'))))
  .post('/mentions/:id{[0-9]+}/triage', async (c) => {
    const ctx = c.get('ctx')
    const v = c.get('v')
    const id = Number(c.req.param('id'))
    const m = await getMention(ctx.db, id)
    if (!m) return c.notFound()
    const body = await c.req.parseBody()
    const parsed = parseTriage(body)
    const { errors } = parsed
    const { change, conflicts } = sinceForm(body, triageValues(m), parsed.change)
    if (change.assignee) change.assignee = await assigneeName(ctx.db, change.assignee)
    const asItem = body.view === 'item'
    if (conflicts.length && !Object.keys(errors).length) {
      // Nothing is saved. The form comes back over the page as it now stands (head, history),
      // with the stored values as its new starting point; it shows them too, but for the fields
      // this person changed: saving again keeps their choice knowingly and does not undo what the
      // colleague did to the others.
      const values = triageValues(m)
      for (const k of TRIAGE_FORM_FIELDS)
        if (k in change || conflicts.includes(k)) values[k] = String(body[k] ?? '')
      return c.html(
        await withPage(
          c,
          m,
          <TriageForm v={v} m={m} values={values} errors={{}} conflicts={conflicts} />,
        ),
        409,
      )
    }
    if (Object.keys(errors).length) {
      const t = (k: string) =>
        ({
          answer_url: v.t('triage.badUrl'),
          assignee: v.t('triage.tooLong', { n: 80 }),
          note: v.t('triage.tooLong', { n: 2000 }),
        })[k] ?? v.t('triage.badValue')
      const shown = Object.fromEntries(Object.keys(errors).map((k) => [k, t(k)]))
      const values = { ...triageValues(m), ...(body as Record<string, string>) } as TriageValues
      if (asItem) return c.text(Object.values(shown).join(' '), 422)
      // still measured against what the person first saw, not what is stored now
      const was = { ...triageValues(m) }
      for (const k of TRIAGE_FORM_FIELDS)
        if (typeof body[`was_${k}`] === 'string') was[k] = body[`was_${k}`] as string
      return c.html(<TriageForm v={v} m={m} values={values} errors={shown} was={was} />, 422)
    }
    await triageMentions(ctx.db, [id], change, actorOf(c), ctx.now())
    const after = (await getMention(ctx.db, id))!
    if (c.req.header('HX-Request') !== 'true') return redirectAfterPost(c, `/mentions/${id}`)
    if (asItem)
      return c.html(
        <MentionItem
          v={v}
          m={after}
          q={typeof body.q === 'string' ? body.q : undefined}
          selectable={body.selectable === '1'}
          engagement={
            typeof body.engagement === 'string' && /^\d+$/.test(body.engagement)
              ? Number(body.engagement)
              : undefined
          }
        />,
      )
    return c.html(
      await withPage(
        c,
        after,
        <TriageForm v={v} m={after} values={triageValues(after)} errors={{}} saved />,
      ),
    )
  })
  .post('/mentions/bulk', async (c) => {
    const ctx = c.get('ctx')
    const v = c.get('v')
    const body = await c.req.parseBody({ all: true })
    const ids = ([] as unknown[])
      .concat(body.ids ?? [])
      .map(Number)
      .filter((n) => Number.isInteger(n) && n > 0)
      .slice(0, 500)
    const action = String(body.action ?? '')
    let change: TriageChange
    if (action.startsWith('status:') && STATUSES.includes(action.slice(7) as TriageStatus))
      change = { status: action.slice(7) as TriageStatus }
    else if (action === 'assign') {
      const who = oneLine(String(body.assignee ?? ''))
      if (!who || who.length > 80) return c.html(<>{v.t('triage.bulkNeedAssignee')}</>, 422)
      change = { assignee: await assigneeName(ctx.db, who) }
    } else return c.html(<>{v.t('triage.badValue')}</>, 422)
    if (!ids.length) return c.html(<>{v.t('triage.bulkNone')}</>, 422)
    const n = await triageMentions(ctx.db, ids, change, actorOf(c), ctx.now())
    // which mentions and what was done to them, not only "POST /mentions/bulk"
    await audit(c, {
      action: 'mentions.bulk',
      outcome: 'ok',
      detail: { ...change, changed: n, ids: ids.length > 50 ? `${ids.length} mentions` : ids },
    })
    if (c.req.header('HX-Request') !== 'true') return redirectAfterPost(c, '/mentions')
    // the cards come back still ticked: assigning, then marking answered, is two actions on one
    // selection (they came back unticked, and the second action had nothing to act on)
    const rows = await Promise.all(ids.map((id) => getMention(ctx.db, id)))
    return c.html(
      <>
        {v.t('triage.bulkDone', { n })}
        {rows.map((m) =>
          m ? (
            <hx-partial hx-target={`#m-${m.id}`} hx-swap="outerHTML">
              <MentionItem v={v} m={m} selectable selected />
            </hx-partial>
          ) : null,
        )}
      </>,
    )
  })
  .post('/mentions/:id{[0-9]+}/mute', async (c) => {
    const ctx = c.get('ctx')
    const m = await getMention(ctx.db, Number(c.req.param('id')))
    if (!m) return c.notFound()
    const body = await c.req.parseBody()
    const kind = body.kind === 'domain' ? 'domain' : 'author'
    const value = kind === 'author' ? m.author : hostOf(m.url)
    if (!value) return c.text(`this mention has no ${kind}`, 422)
    const ex = await addExclusion(
      ctx.db,
      { kind, value, platform: kind === 'author' ? m.source_kind : '', brandId: m.brand_id },
      ctx.now(),
    )
    await recordMentionEvent(
      ctx.db,
      { mentionId: m.id, actor: actorOf(c), field: 'muted', value: `${kind} ${value}` },
      ctx.now(),
    )
    if (c.req.header('HX-Request') !== 'true') return redirectAfterPost(c, `/mentions/${m.id}`)
    return c.html(<MuteBox v={c.get('v')} m={m} done={{ kind, exclusionId: ex.exclusion.id }} />)
  })
  .post('/mentions/:id{[0-9]+}/unmute', async (c) => {
    const ctx = c.get('ctx')
    const m = await getMention(ctx.db, Number(c.req.param('id')))
    if (!m) return c.notFound()
    const body = await c.req.parseBody()
    const exId = Number(body.exclusion)
    // Only an exclusion of this mention's brand can be undone from here.
    const ex = await ctx.db
      .selectFrom('exclusions')
      .selectAll()
      .where('id', '=', exId)
      .where('brand_id', '=', m.brand_id)
      .executeTakeFirst()
    if (ex) {
      await deleteExclusion(ctx.db, ex.id)
      await recordMentionEvent(
        ctx.db,
        { mentionId: m.id, actor: actorOf(c), field: 'unmuted', value: ex.kind },
        ctx.now(),
      )
    }
    if (c.req.header('HX-Request') !== 'true') return redirectAfterPost(c, `/mentions/${m.id}`)
    return c.html(<MuteBox v={c.get('v')} m={m} undone={!!ex} />)
  })

export { Feed }
