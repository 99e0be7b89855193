// Signing in (password, then TOTP or a recovery code when enrolled), signing out, and the
// one-time setup link that creates the first administrator. Failures are throttled with a growing
// delay per account and per IP, and every attempt is audited.
import { Hono, type Context } from 'hono'
import { getCookie } from 'hono/cookie'
import { deleteSession, resolveSessionAnyStage } from '../../db/sessions'
import { takeLock } from '../../db/settings'
import { consumeSetupToken, setupTokenKind, setupTokenPurpose } from '../../db/tokens'
import {
  countUsers,
  getUser,
  getUserByEmail,
  insertUser,
  isEmail,
  isPendingInvite,
  normalizeEmail,
  updateUser,
} from '../../db/users'
import type { FieldErrors } from '../../views/components'
import { SetupPage } from '../../views/pages/setup'
import { SigninPage, TwoFactorPage } from '../../views/pages/signin'
import type { Env } from '../app'
import { audit, clientIp, endSessionCookie, SESSION_COOKIE, startSession } from '../auth'
import { hashPassword, passwordProblem, verifyPassword } from '../auth/passwords'
import { accountKey, ipKey, signinFailed, signinSucceeded, signinWaitMs } from '../auth/rate-limit'
import { normalizeRecoveryCode, sha256 } from '../auth/tokens'
import { totpStep } from '../auth/totp'
import { redirectAfterPost } from '../htmx'

/** Only same-site paths: an open redirect would make phishing links look like Vigie's. */
export function safeNext(raw: unknown): string {
  const s = typeof raw === 'string' ? raw : ''
  return s.startsWith('/') &&
    !s.startsWith('//') &&
    !s.startsWith('/\\') &&
    !s.startsWith('/signin')
    ? s
    : '/'
}

function tooMany(c: Context<Env>, waitMs: number): string {
  const s = Math.ceil(waitMs / 1000)
  c.header('Retry-After', String(s))
  return c.get('v').t('access.throttled', { s })
}

export const authRoutes = new Hono<Env>()
  .get('/signin', async (c) => {
    if (c.get('user')) return c.redirect(safeNext(c.req.query('next')), 302)
    const noUsers = (await countUsers(c.get('ctx').db)) === 0
    return c.html(
      <SigninPage v={c.get('v')} email="" next={safeNext(c.req.query('next'))} noUsers={noUsers} />,
    )
  })
  .post('/signin', async (c) => {
    const ctx = c.get('ctx')
    const v = c.get('v')
    const body = await c.req.parseBody()
    const email = normalizeEmail(String(body.email ?? ''))
    const next = safeNext(body.next)
    const keys = [accountKey(email), ipKey(clientIp(c))]
    const wait = await signinWaitMs(ctx.db, keys, ctx.now())
    if (wait > 0) {
      // refused unheard: still a sign-in attempt the audit log must show (a password guesser)
      const target = email ? await getUserByEmail(ctx.db, email) : undefined
      await audit(c, {
        userId: target?.id ?? null,
        actor: target?.email ?? 'anonymous',
        action: 'auth.signin',
        outcome: 'failed',
        detail: { reason: 'throttled', waitSeconds: Math.ceil(wait / 1000) },
      })
      const error = tooMany(c, wait)
      return c.html(<SigninPage v={v} email={email} next={next} error={error} />, 429)
    }
    const user = email ? await getUserByEmail(ctx.db, email) : undefined
    const ok = await verifyPassword(String(body.password ?? ''), user?.password_hash ?? null)
    if (!user || !ok || user.disabled) {
      await signinFailed(ctx.db, keys, ctx.now())
      await audit(c, {
        userId: user?.id ?? null,
        actor: user?.email ?? 'anonymous',
        action: 'auth.signin',
        outcome: 'failed',
        detail: { reason: !user ? 'unknown account' : user.disabled ? 'disabled' : 'password' },
      })
      return c.html(
        <SigninPage v={v} email={email} next={next} error={v.t('access.badCredentials')} />,
        401,
      )
    }
    if (user.totp_enabled) {
      await startSession(c, user.id, 'mfa')
      return redirectAfterPost(
        c,
        `/signin/2fa${next === '/' ? '' : `?next=${encodeURIComponent(next)}`}`,
      )
    }
    await signinSucceeded(ctx.db, [accountKey(email)])
    await startSession(c, user.id)
    await updateUser(ctx.db, user.id, { last_sign_in_at: ctx.now().toISOString() }, ctx.now())
    await audit(c, { userId: user.id, actor: user.email, action: 'auth.signin', outcome: 'ok' })
    return redirectAfterPost(c, next)
  })
  .get('/signin/2fa', async (c) => {
    const ctx = c.get('ctx')
    const token = getCookie(c, SESSION_COOKIE)
    const found = token ? await resolveSessionAnyStage(ctx.db, token, ctx.now()) : undefined
    if (!found || found.session.stage !== 'mfa') return c.redirect('/signin', 302)
    return c.html(<TwoFactorPage v={c.get('v')} next={safeNext(c.req.query('next'))} />)
  })
  .post('/signin/2fa', async (c) => {
    const ctx = c.get('ctx')
    const v = c.get('v')
    const body = await c.req.parseBody()
    const next = safeNext(body.next)
    const token = getCookie(c, SESSION_COOKIE)
    const found = token ? await resolveSessionAnyStage(ctx.db, token, ctx.now()) : undefined
    if (!found || found.session.stage !== 'mfa') return redirectAfterPost(c, '/signin')
    const { user, session } = found
    const keys = [accountKey(user.email), ipKey(clientIp(c))]
    const wait = await signinWaitMs(ctx.db, keys, ctx.now())
    if (wait > 0) {
      await audit(c, {
        userId: user.id,
        actor: user.email,
        action: 'auth.2fa',
        outcome: 'failed',
        detail: { reason: 'throttled', waitSeconds: Math.ceil(wait / 1000) },
      })
      return c.html(<TwoFactorPage v={v} next={next} error={tooMany(c, wait)} />, 429)
    }
    const code = String(body.code ?? '')
    const step = user.totp_secret ? totpStep(user.totp_secret, code, ctx.now()) : null
    // A code already used (same or earlier time step) is refused: no replay of an observed code.
    let ok = step !== null && step > user.totp_last_step
    if (ok) await updateUser(ctx.db, user.id, { totp_last_step: step! }, ctx.now())
    let usedRecovery = false
    if (!ok) {
      const hashes = JSON.parse(user.recovery_codes) as string[]
      const h = sha256(normalizeRecoveryCode(code))
      if (hashes.includes(h)) {
        ok = usedRecovery = true
        await updateUser(
          ctx.db,
          user.id,
          { recovery_codes: JSON.stringify(hashes.filter((x) => x !== h)) },
          ctx.now(),
        )
      }
    }
    if (!ok) {
      await signinFailed(ctx.db, keys, ctx.now())
      await audit(c, {
        userId: user.id,
        actor: user.email,
        action: 'auth.2fa',
        outcome: 'failed',
      })
      // the right code, already used (at enrolment, or a moment ago): say to wait for the next
      const reused = step !== null && step <= user.totp_last_step
      return c.html(
        <TwoFactorPage
          v={v}
          next={next}
          error={v.t(reused ? 'access.codeUsed' : 'access.badCode')}
        />,
        401,
      )
    }
    await signinSucceeded(ctx.db, [accountKey(user.email)])
    // A fresh session id after the second factor: the half-signed-in cookie is not reused.
    await deleteSession(ctx.db, session.id)
    await startSession(c, user.id)
    await updateUser(ctx.db, user.id, { last_sign_in_at: ctx.now().toISOString() }, ctx.now())
    await audit(c, {
      userId: user.id,
      actor: user.email,
      action: 'auth.signin',
      outcome: 'ok',
      detail: { secondFactor: usedRecovery ? 'recovery-code' : 'totp' },
    })
    return redirectAfterPost(c, next)
  })
  .post('/signout', async (c) => {
    const ctx = c.get('ctx')
    const token = getCookie(c, SESSION_COOKIE)
    if (token) {
      const found = await resolveSessionAnyStage(ctx.db, token, ctx.now())
      if (found) await deleteSession(ctx.db, found.session.id)
    }
    endSessionCookie(c)
    return redirectAfterPost(c, '/signin')
  })
  .get('/setup/:token', async (c) => {
    const token = c.req.param('token')
    const purpose = await linkPurpose(c, token)
    const invited = await invitedUser(c, purpose)
    const invalid = !purpose || (purpose !== 'first-admin' && !invited)
    return c.html(
      <SetupPage
        v={c.get('v')}
        token={token}
        values={{ email: '', name: '' }}
        errors={{}}
        invalid={invalid && (await invalidLink(c, token))}
        invitedEmail={invited?.email}
      />,
      invalid ? 410 : 200,
    )
  })
  .post('/setup/:token', async (c) => {
    const ctx = c.get('ctx')
    const v = c.get('v')
    const token = c.req.param('token')
    const purpose = await linkPurpose(c, token)
    const invited = await invitedUser(c, purpose)
    const gone = async (values = { email: '', name: '' }) =>
      c.html(
        <SetupPage
          v={v}
          token={token}
          values={values}
          errors={{}}
          invalid={await invalidLink(c, token)}
        />,
        410,
      )
    if (!purpose || (purpose !== 'first-admin' && !invited)) return gone()
    const body = await c.req.parseBody()
    const values = {
      email: invited?.email ?? normalizeEmail(String(body.email ?? '')),
      name: String(body.name ?? '').trim(),
    }
    const password = String(body.password ?? '')
    const errors: FieldErrors = {}
    if (!invited) {
      if (!isEmail(values.email)) errors.email = v.t('access.invalidEmail')
      else if (await getUserByEmail(ctx.db, values.email)) errors.email = v.t('access.emailTaken')
    }
    const problem = passwordProblem(password)
    if (problem) errors.password = v.t(`access.password.${problem}` as 'access.password.too-short')
    if (password !== String(body.confirm ?? '')) errors.confirm = v.t('access.passwordMismatch')
    if (Object.keys(errors).length)
      return c.html(
        <SetupPage
          v={v}
          token={token}
          values={values}
          errors={errors}
          invitedEmail={invited?.email}
        />,
        422,
      )
    const passwordHash = await hashPassword(password)
    const userId = await ctx.db.transaction().execute(async (trx) => {
      // Consume first: two racing submissions cannot both use the link.
      if (!(await consumeSetupToken(trx, token, ctx.now()))) return undefined
      if (invited) {
        await updateUser(trx, invited.id, { password_hash: passwordHash }, ctx.now())
        return invited.id
      }
      // Every start prints its own link (one per process on a shared Postgres): two used at
      // once both found no user above; under the lock, the second finds the first one's.
      await takeLock(trx, 'first-admin', ctx.now())
      if ((await countUsers(trx)) > 0) return undefined
      const user = await insertUser(
        trx,
        { email: values.email, name: values.name, role: 'admin', passwordHash },
        ctx.now(),
      )
      return user.id
    })
    if (userId === undefined) return gone(values)
    await startSession(c, userId)
    // the link signs them in: the users page should not say "never"
    await updateUser(ctx.db, userId, { last_sign_in_at: ctx.now().toISOString() }, ctx.now())
    await audit(c, {
      userId,
      actor: values.email,
      action: invited ? 'account.invitation-accepted' : 'users.create',
      outcome: 'ok',
      detail: invited ? { userId } : { via: 'setup-link', role: 'admin', userId },
    })
    // the dashboard's first steps, two-step verification first for the administrator
    return redirectAfterPost(c, '/')
  })

/**
 * What a setup link may still do. A first-administrator link dies as soon as anyone has an
 * account (made with `npm run user`, or through another link printed by an earlier start): it
 * sits in the logs, and must not make a second administrator for whoever reads them.
 */
async function linkPurpose(c: Context<Env>, token: string): Promise<string | undefined> {
  const { db, now } = c.get('ctx')
  const purpose = await setupTokenPurpose(db, token, now())
  if (purpose === 'first-admin' && (await countUsers(db)) > 0) return undefined
  return purpose
}

/** Which dead link this is: an invitation's (ask an admin) or the first-run one (restart). */
async function invalidLink(c: Context<Env>, token: string): Promise<'invite' | 'setup'> {
  const kind = await setupTokenKind(c.get('ctx').db, token)
  return kind?.startsWith('user:') ? 'invite' : 'setup'
}

/** The invited user behind a 'user:<id>' link, if still enabled and without a password. */
async function invitedUser(c: Context<Env>, purpose: string | undefined) {
  const m = /^user:(\d+)$/.exec(purpose ?? '')
  if (!m) return undefined
  const u = await getUser(c.get('ctx').db, Number(m[1]))
  return u && isPendingInvite(u) ? u : undefined
}
