// The signed-in person's own account: password, TOTP enrolment with hashed recovery codes, open
// sessions (revoke one, or all others), personal API tokens (shown once, revocable).
import { Hono, type Context } from 'hono'
import { deleteSession, deleteUserSessions, listUserSessions } from '../../db/sessions'
import { getSetting } from '../../db/settings'
import { createApiToken, listApiTokens, revokeApiToken } from '../../db/tokens'
import { getUser, updateUser } from '../../db/users'
import type { FieldErrors } from '../../views/components'
import { AccountPage, EnrolPage, type AccountData } from '../../views/pages/account'
import type { Env } from '../app'
import { audit, REQUIRE_2FA_SETTING } from '../auth'
import { hashPassword, passwordProblem, verifyPassword } from '../auth/passwords'
import { TOKEN_SCOPES } from '../auth/policy'
import { newRecoveryCodes, normalizeRecoveryCode, sha256 } from '../auth/tokens'
import { newTotpSecret, totpQrDataUrl, totpStep, verifyTotp } from '../auth/totp'
import { redirectAfterPost } from '../htmx'
import { safeNext } from './auth'

const NOTICES = ['password', 'sessions', 'revoked', '2fa-off'] as const

async function accountData(c: Context<Env>, extra: Partial<AccountData> = {}) {
  const { db } = c.get('ctx')
  const me = c.get('user')!
  const u = (await getUser(db, me.id))!
  const done = c.req.query('done') as (typeof NOTICES)[number] | undefined
  return {
    email: u.email,
    name: u.name,
    role: u.role,
    totpEnabled: !!u.totp_enabled,
    recoveryLeft: (JSON.parse(u.recovery_codes) as string[]).length,
    currentSessionId: me.sessionId,
    sessions: await listUserSessions(db, u.id),
    tokens: await listApiTokens(db, u.id),
    require2fa: (await getSetting(db, REQUIRE_2FA_SETTING)) === '1',
    notice:
      done && NOTICES.includes(done)
        ? c.get('v').t(`account.done.${done}` as 'account.done.password')
        : undefined,
    ...extra,
  } satisfies AccountData
}

export const accountRoutes = new Hono<Env>()
  .get('/account', async (c) => c.html(<AccountPage v={c.get('v')} d={await accountData(c)} />))
  .post('/account/password', async (c) => {
    const ctx = c.get('ctx')
    const v = c.get('v')
    const me = c.get('user')!
    const u = (await getUser(ctx.db, me.id))!
    const body = await c.req.parseBody()
    const password = String(body.password ?? '')
    const errors: FieldErrors = {}
    // Accounts created by a setup link always have a password; CLI-created ones too.
    if (u.password_hash && !(await verifyPassword(String(body.current ?? ''), u.password_hash)))
      errors.current = v.t('account.wrongPassword')
    const problem = passwordProblem(password)
    if (problem) errors.password = v.t(`access.password.${problem}` as 'access.password.too-short')
    if (password !== String(body.confirm ?? '')) errors.confirm = v.t('access.passwordMismatch')
    if (Object.keys(errors).length)
      return c.html(<AccountPage v={v} d={await accountData(c, { passwordErrors: errors })} />, 422)
    await updateUser(ctx.db, u.id, { password_hash: await hashPassword(password) }, ctx.now())
    // A changed password ends every other session (the reason people change it).
    await deleteUserSessions(ctx.db, u.id, me.sessionId)
    await audit(c, { action: 'account.password', outcome: 'ok' })
    return redirectAfterPost(c, '/account?done=password')
  })
  .get('/account/2fa', async (c) => {
    const ctx = c.get('ctx')
    const me = c.get('user')!
    const u = (await getUser(ctx.db, me.id))!
    const next = afterEnrol(c.req.query('next'))
    if (u.totp_enabled) return c.redirect(next, 302)
    let secret = u.totp_secret
    if (!secret) {
      secret = newTotpSecret()
      await updateUser(ctx.db, u.id, { totp_secret: secret }, ctx.now())
    }
    return c.html(
      <EnrolPage
        v={c.get('v')}
        secret={secret}
        qr={await totpQrDataUrl(secret, u.email)}
        required={(await getSetting(ctx.db, REQUIRE_2FA_SETTING)) === '1'}
        next={next}
      />,
    )
  })
  .post('/account/2fa', async (c) => {
    const ctx = c.get('ctx')
    const v = c.get('v')
    const me = c.get('user')!
    const u = (await getUser(ctx.db, me.id))!
    if (u.totp_enabled || !u.totp_secret) return redirectAfterPost(c, '/account/2fa')
    const body = await c.req.parseBody()
    const code = String(body.code ?? '')
    const next = afterEnrol(body.next)
    const step = totpStep(u.totp_secret, code, ctx.now())
    if (step === null)
      return c.html(
        <EnrolPage
          v={v}
          secret={u.totp_secret}
          qr={await totpQrDataUrl(u.totp_secret, u.email)}
          error={v.t('access.badCode')}
          next={next}
        />,
        422,
      )
    const codes = newRecoveryCodes()
    await updateUser(
      ctx.db,
      u.id,
      {
        totp_enabled: 1,
        totp_last_step: step,
        recovery_codes: JSON.stringify(codes.map((x) => sha256(normalizeRecoveryCode(x)))),
      },
      ctx.now(),
    )
    await audit(c, { action: 'account.2fa-enable', outcome: 'ok' })
    return c.html(<EnrolPage v={v} secret="" qr="" recoveryCodes={codes} next={next} />)
  })
  .post('/account/2fa/disable', async (c) => {
    const ctx = c.get('ctx')
    const v = c.get('v')
    const me = c.get('user')!
    const u = (await getUser(ctx.db, me.id))!
    if ((await getSetting(ctx.db, REQUIRE_2FA_SETTING)) === '1')
      return c.html(
        <AccountPage
          v={v}
          d={await accountData(c, { notice: v.t('account.twoFactorRequired') })}
        />,
        409,
      )
    const code = String((await c.req.parseBody()).code ?? '')
    if (!u.totp_secret || !verifyTotp(u.totp_secret, code, ctx.now()))
      return c.html(
        <AccountPage v={v} d={await accountData(c, { notice: v.t('access.badCode') })} />,
        422,
      )
    await updateUser(
      ctx.db,
      u.id,
      { totp_enabled: 0, totp_secret: null, recovery_codes: '[]' },
      ctx.now(),
    )
    await audit(c, { action: 'account.2fa-disable', outcome: 'ok' })
    return redirectAfterPost(c, '/account?done=2fa-off')
  })
  .post('/account/sessions/revoke-others', async (c) => {
    const ctx = c.get('ctx')
    const me = c.get('user')!
    await deleteUserSessions(ctx.db, me.id, me.sessionId)
    return redirectAfterPost(c, '/account?done=sessions')
  })
  .post('/account/sessions/:id/revoke', async (c) => {
    const ctx = c.get('ctx')
    const me = c.get('user')!
    const id = c.req.param('id')
    // Only one's own sessions: the user id is part of the delete.
    if (!(await deleteSession(ctx.db, id, me.id))) return c.notFound()
    return redirectAfterPost(c, id === me.sessionId ? '/signin' : '/account?done=revoked')
  })
  .post('/account/tokens', async (c) => {
    const ctx = c.get('ctx')
    const me = c.get('user')!
    const body = await c.req.parseBody()
    const scope = String(body.scope ?? 'read')
    if (!TOKEN_SCOPES.includes(scope as 'read')) return c.text('unknown scope', 400)
    if (scope === 'ingest' && me.role === 'viewer')
      return c.text('an ingest token needs the responder role: a viewer cannot push mentions', 403)
    const name =
      String(body.name ?? '')
        .trim()
        .slice(0, 100) || scope
    const { token, row } = await createApiToken(ctx.db, me.id, { name, scope }, ctx.now())
    await audit(c, {
      action: 'tokens.create',
      outcome: 'ok',
      detail: { tokenId: row.id, scope },
    })
    c.header('Cache-Control', 'no-store')
    return c.html(<AccountPage v={c.get('v')} d={await accountData(c, { newToken: token })} />)
  })
  .post('/account/tokens/:id{[0-9]+}/revoke', async (c) => {
    const ctx = c.get('ctx')
    const me = c.get('user')!
    const id = Number(c.req.param('id'))
    if (!(await revokeApiToken(ctx.db, id, me.id, ctx.now()))) return c.notFound()
    await audit(c, { action: 'tokens.revoke', outcome: 'ok', detail: { tokenId: id } })
    return redirectAfterPost(c, '/account?done=revoked')
  })

/** Where "Continuer" leads after enrolment: the page that sent them here, else their account. */
function afterEnrol(raw: unknown): string {
  const next = safeNext(raw)
  return next === '/' && raw !== '/' ? '/account' : next
}
