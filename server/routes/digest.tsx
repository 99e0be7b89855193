// Digest settings (recipients, preview, test send, send log) and the public unsubscribe endpoint:
// GET shows a confirm button (link scanners must not unsubscribe anyone), POST unsubscribes —
// which is also what a mail provider's one-click button does (RFC 8058).
import { Hono } from 'hono'
import { z } from 'zod'
import { listBrands } from '../../db/brands'
import {
  deleteRecipient,
  getRecipient,
  getRecipientByEmail,
  insertRecipient,
  listDigestLog,
  listRecipients,
  recipientBrandIds,
  retryDigest,
  setUnsubscribed,
  updateRecipient,
  type DigestLogRow,
} from '../../db/digest'
import { instanceSecret } from '../../db/settings'
import type { FieldErrors } from '../../views/components'
import { renderDigestHtml } from '../../views/email/digest'
import { formatter, translator } from '../../views/i18n'
import {
  DigestPage,
  RecipientFormPage,
  UnsubscribePage,
  type RecipientFormValues,
} from '../../views/pages/digest'
import type { Env } from '../app'
import { buildDigest, loadDigestInput } from '../digest'
import { isDate, isTime, isTimeZone, localDate, addDays } from '../digest-period'
import { checkUnsubscribeToken, sendTestDigest, tokenRecipientId } from '../digest-send'
import { audit } from '../auth'
import { redirectAfterPost } from '../htmx'
import { mailerFor } from '../mailer'

export const UNSUBSCRIBE_PREFIX = '/digest/unsubscribe/'

const EMAIL = z.string().trim().toLowerCase().pipe(z.email())

async function readForm(c: any): Promise<RecipientFormValues> {
  const body = await c.req.parseBody({ all: true })
  const list = (x: unknown) => (Array.isArray(x) ? x : x === undefined ? [] : [x])
  return {
    email: String(body.email ?? '')
      .trim()
      .toLowerCase(),
    lang: body.lang === 'en' ? 'en' : 'fr',
    sendTime: String(body.time ?? '').trim(),
    timezone: String(body.timezone ?? '').trim(),
    brandIds: list(body.brands)
      .map((x) => Number(x))
      .filter((n) => Number.isInteger(n) && n > 0),
    weekly: body.weekly === '1',
    enabled: body.enabled === '1',
  }
}

async function validate(c: any, values: RecipientFormValues, id?: number): Promise<FieldErrors> {
  const t = c.get('v').t
  const errors: FieldErrors = {}
  if (!values.email) errors.email = t('common.required')
  else if (!EMAIL.safeParse(values.email).success) errors.email = t('digest.invalidEmail')
  else {
    const other = await getRecipientByEmail(c.get('ctx').db, values.email)
    if (other && other.id !== id) errors.email = t('digest.emailTaken')
  }
  if (!isTime(values.sendTime)) errors.time = t('digest.invalidTime')
  if (!values.timezone) errors.timezone = t('common.required')
  else if (!isTimeZone(values.timezone)) errors.timezone = t('digest.invalidTimezone')
  return errors
}

async function page(
  c: any,
  extra: { flash?: { ok: boolean; text: string }; testTo?: string } = {},
  status = 200,
) {
  const ctx = c.get('ctx')
  const [recipients, log, brands] = await Promise.all([
    listRecipients(ctx.db),
    listDigestLog(ctx.db, 30),
    listBrands(ctx.db),
  ])
  const last = new Map<number, DigestLogRow>()
  for (const row of log) if (!last.has(row.recipient_id)) last.set(row.recipient_id, row)
  return c.html(
    <DigestPage
      v={c.get('v')}
      recipients={recipients}
      last={last}
      log={log}
      brands={brands}
      smtpConfigured={!!ctx.config.smtpUrl}
      today={addDays(localDate(ctx.now(), ctx.config.tz), -1)}
      {...extra}
    />,
    status,
  )
}

export const digestRoutes = new Hono<Env>()
  .get('/settings/digest', (c) => page(c, { testTo: c.get('user')?.email }))
  .get('/settings/digest/recipients/new', async (c) =>
    c.html(
      <RecipientFormPage
        v={c.get('v')}
        values={{
          email: '',
          lang: c.get('v').locale,
          sendTime: '08:00',
          timezone: c.get('v').tz,
          brandIds: [],
          weekly: false,
          enabled: true,
        }}
        errors={{}}
        brands={await listBrands(c.get('ctx').db)}
      />,
    ),
  )
  .post('/settings/digest/recipients', async (c) => {
    const ctx = c.get('ctx')
    const values = await readForm(c)
    const errors = await validate(c, values)
    if (Object.keys(errors).length)
      return c.html(
        <RecipientFormPage
          v={c.get('v')}
          values={values}
          errors={errors}
          brands={await listBrands(ctx.db)}
        />,
        422,
      )
    await insertRecipient(ctx.db, values, ctx.now())
    return redirectAfterPost(c, '/settings/digest')
  })
  .get('/settings/digest/recipients/:id{[0-9]+}/edit', async (c) => {
    const ctx = c.get('ctx')
    const r = await getRecipient(ctx.db, Number(c.req.param('id')))
    if (!r) return c.notFound()
    return c.html(
      <RecipientFormPage
        v={c.get('v')}
        id={r.id}
        unsubscribedAt={r.unsubscribed_at}
        values={{
          email: r.email,
          lang: r.lang,
          sendTime: r.send_time,
          timezone: r.timezone,
          brandIds: recipientBrandIds(r),
          weekly: !!r.weekly,
          enabled: !!r.enabled,
        }}
        errors={{}}
        brands={await listBrands(ctx.db)}
      />,
    )
  })
  .post('/settings/digest/recipients/:id{[0-9]+}', async (c) => {
    const ctx = c.get('ctx')
    const id = Number(c.req.param('id'))
    const r = await getRecipient(ctx.db, id)
    if (!r) return c.notFound()
    const values = await readForm(c)
    const errors = await validate(c, values, id)
    if (Object.keys(errors).length)
      return c.html(
        <RecipientFormPage
          v={c.get('v')}
          id={id}
          unsubscribedAt={r.unsubscribed_at}
          values={values}
          errors={errors}
          brands={await listBrands(ctx.db)}
        />,
        422,
      )
    await updateRecipient(ctx.db, id, values, ctx.now())
    return redirectAfterPost(c, '/settings/digest')
  })
  .post('/settings/digest/recipients/:id{[0-9]+}/resubscribe', async (c) => {
    const ctx = c.get('ctx')
    await setUnsubscribed(ctx.db, Number(c.req.param('id')), null, ctx.now())
    return redirectAfterPost(c, '/settings/digest')
  })
  .post('/settings/digest/recipients/:id{[0-9]+}/delete', async (c) => {
    await deleteRecipient(c.get('ctx').db, Number(c.req.param('id')))
    return redirectAfterPost(c, '/settings/digest')
  })
  .post('/settings/digest/log/:id{[0-9]+}/retry', async (c) => {
    const ctx = c.get('ctx')
    await retryDigest(ctx.db, Number(c.req.param('id')), ctx.now())
    return redirectAfterPost(c, '/settings/digest')
  })
  .get('/settings/digest/preview', async (c) => {
    const ctx = c.get('ctx')
    const q = c.req.query()
    const date = q.date || addDays(localDate(ctx.now(), ctx.config.tz), -1)
    if (!isDate(date)) return c.text(`date="${date}" is not a day (YYYY-MM-DD)`, 400)
    const brand = q.brand && /^\d+$/.test(q.brand) ? [Number(q.brand)] : []
    const lang = q.lang === 'en' ? 'en' : q.lang === 'fr' ? 'fr' : c.get('v').locale
    const tz = q.tz && isTimeZone(q.tz) ? q.tz : ctx.config.tz
    const digest = buildDigest(
      await loadDigestInput(ctx.db, {
        kind: q.weekly === '1' ? 'weekly' : 'daily',
        date,
        timezone: tz,
        lang,
        brandIds: brand,
        baseUrl: ctx.config.baseUrl,
      }),
    )
    const body = await renderDigestHtml(digest, { manage: `${ctx.config.baseUrl}/settings/digest` })
    return c.html(body)
  })
  .post('/settings/digest/test', async (c) => {
    const ctx = c.get('ctx')
    const v = c.get('v')
    const body = await c.req.parseBody()
    const to = EMAIL.safeParse(String(body.to ?? ''))
    if (!to.success)
      return page(
        c,
        { flash: { ok: false, text: v.t('digest.invalidEmail') }, testTo: String(body.to ?? '') },
        422,
      )
    try {
      await sendTestDigest(ctx, mailerFor(ctx.config), {
        to: to.data,
        lang: body.lang === 'en' ? 'en' : 'fr',
      })
      return page(c, {
        flash: { ok: true, text: v.t('digest.testSent', { to: to.data }) },
        testTo: to.data,
      })
    } catch (err) {
      ctx.log.warn('digest test failed', { err: (err as Error).message })
      return page(
        c,
        {
          flash: { ok: false, text: v.t('digest.testFailed', { error: (err as Error).message }) },
          testTo: to.data,
        },
        502,
      )
    }
  })
  .get(`${UNSUBSCRIBE_PREFIX}:token`, async (c) => {
    const found = await resolveToken(c)
    if (!found) return c.html(<UnsubscribePage v={c.get('v')} state="invalid" />, 404)
    const v = viewFor(c, found.lang)
    return c.html(
      <UnsubscribePage
        v={v}
        email={found.email}
        state={found.unsubscribed_at ? 'done' : 'confirm'}
        action={`${UNSUBSCRIBE_PREFIX}${c.req.param('token')}`}
      />,
    )
  })
  .post(`${UNSUBSCRIBE_PREFIX}:token`, async (c) => {
    const ctx = c.get('ctx')
    const found = await resolveToken(c)
    if (!found) return c.html(<UnsubscribePage v={c.get('v')} state="invalid" />, 404)
    if (!found.unsubscribed_at) {
      await setUnsubscribed(ctx.db, found.id, ctx.now(), ctx.now())
      ctx.log.info('digest unsubscribed', { recipient: found.id })
      // no one is signed in here: the audit names the recipient who clicked
      await audit(c, {
        userId: null,
        actor: found.email,
        action: 'digest.unsubscribe',
        outcome: 'ok',
        detail: { recipientId: found.id },
      })
    }
    return c.html(<UnsubscribePage v={viewFor(c, found.lang)} email={found.email} state="done" />)
  })

async function resolveToken(c: any) {
  const ctx = c.get('ctx')
  const token = c.req.param('token') as string
  const id = tokenRecipientId(token)
  if (id === null) return undefined
  const r = await getRecipient(ctx.db, id)
  if (!r || !checkUnsubscribeToken(await instanceSecret(ctx.db), token, r)) return undefined
  return r
}

/** The unsubscribe pages speak the recipient's language, not the browser's. */
function viewFor(c: any, lang: 'fr' | 'en') {
  const v = c.get('v')
  return { ...v, locale: lang, t: translator(lang), fmt: formatter(lang, c.get('ctx').config.tz) }
}
