// People (admins): invite by one-time link, change roles, disable (ends every session and API
// token at once), reset a lost second factor, make two-factor mandatory. The last active admin
// cannot be disabled or demoted, and nobody changes their own role here.
import { Hono, type Context } from 'hono'
import { getSetting, setSetting } from '../../db/settings'
import { createSetupToken, listActiveTokens, revokeAnyToken } from '../../db/tokens'
import {
  countActiveAdmins,
  getUser,
  getUserByEmail,
  insertUser,
  isEmail,
  isPendingInvite,
  listUsers,
  normalizeEmail,
  ROLES,
  setUserDisabled,
  updateUser,
} from '../../db/users'
import type { FieldErrors } from '../../views/components'
import { UsersPage } from '../../views/pages/users'
import type { Env } from '../app'
import { audit, REQUIRE_2FA_SETTING } from '../auth'
import type { Role } from '../context'
import { redirectAfterPost } from '../htmx'

async function page(c: Context<Env>, extra: Partial<Parameters<typeof UsersPage>[0]> = {}) {
  const { db } = c.get('ctx')
  return (
    <UsersPage
      v={c.get('v')}
      users={await listUsers(db)}
      meId={c.get('user')!.id}
      require2fa={(await getSetting(db, REQUIRE_2FA_SETTING)) === '1'}
      tokens={await listActiveTokens(db)}
      {...extra}
    />
  )
}

/** The users page with a new invitation link for `u`, shown this once (never cached). */
async function withInviteLink(c: Context<Env>, u: { id: number; email: string }) {
  const ctx = c.get('ctx')
  const token = await createSetupToken(ctx.db, ctx.now(), `user:${u.id}`)
  const base = ctx.config.baseUrl || new URL(c.req.url).origin
  c.header('Cache-Control', 'no-store')
  return c.html(await page(c, { inviteLink: { email: u.email, url: `${base}/setup/${token}` } }))
}

/** Refuses changes that would leave Vigie without an active administrator. */
async function wouldOrphan(c: Context<Env>, id: number): Promise<boolean> {
  const { db } = c.get('ctx')
  const u = await getUser(db, id)
  return !!u && u.role === 'admin' && !u.disabled && (await countActiveAdmins(db)) <= 1
}

export const userRoutes = new Hono<Env>()
  .get('/users', async (c) => c.html(await page(c)))
  .post('/users', async (c) => {
    const ctx = c.get('ctx')
    const v = c.get('v')
    const body = await c.req.parseBody()
    const values = {
      email: normalizeEmail(String(body.email ?? '')),
      name: String(body.name ?? '').trim(),
      role: String(body.role ?? 'viewer'),
    }
    const errors: FieldErrors = {}
    if (!isEmail(values.email)) errors.email = v.t('access.invalidEmail')
    else {
      const existing = await getUserByEmail(ctx.db, values.email)
      if (existing)
        errors.email = v.t(isPendingInvite(existing) ? 'users.alreadyInvited' : 'access.emailTaken')
    }
    if (values.name.length > 100) errors.name = v.t('common.tooLong', { max: 100 })
    if (!ROLES.includes(values.role as Role)) errors.role = v.t('common.required')
    if (Object.keys(errors).length) return c.html(await page(c, { values, errors }), 422)
    const u = await insertUser(
      ctx.db,
      { email: values.email, name: values.name, role: values.role as Role },
      ctx.now(),
    )
    await audit(c, {
      action: 'users.create',
      outcome: 'ok',
      detail: { userId: u.id, role: u.role },
    })
    return withInviteLink(c, u)
  })
  // A lost or expired invitation: a fresh link, shown once like the first; the old one stops
  // working (createSetupToken).
  .post('/users/:id{[0-9]+}/invite', async (c) => {
    const ctx = c.get('ctx')
    const u = await getUser(ctx.db, Number(c.req.param('id')))
    if (!u || !isPendingInvite(u)) return c.notFound()
    await audit(c, { action: 'users.invite-renewed', outcome: 'ok', detail: { userId: u.id } })
    return withInviteLink(c, u)
  })
  // A leaked token of someone still on the team: revoked without disabling their account.
  .post('/users/tokens/:tid{[0-9]+}/revoke', async (c) => {
    const ctx = c.get('ctx')
    const id = Number(c.req.param('tid'))
    const owner = await revokeAnyToken(ctx.db, id, ctx.now())
    if (owner === undefined) return c.notFound()
    await audit(c, {
      action: 'tokens.revoke',
      outcome: 'ok',
      detail: { tokenId: id, userId: owner },
    })
    return redirectAfterPost(c, '/users')
  })
  .post('/users/require-2fa', async (c) => {
    const ctx = c.get('ctx')
    const on = String((await c.req.parseBody()).on ?? '') === '1'
    await setSetting(ctx.db, REQUIRE_2FA_SETTING, on ? '1' : '0')
    await audit(c, { action: 'settings.require-2fa', outcome: 'ok', detail: { on } })
    return redirectAfterPost(c, '/users')
  })
  .post('/users/:id{[0-9]+}/role', async (c) => {
    const ctx = c.get('ctx')
    const id = Number(c.req.param('id'))
    const role = String((await c.req.parseBody()).role ?? '') as Role
    const target = await getUser(ctx.db, id)
    if (!target) return c.notFound()
    if (!ROLES.includes(role)) return c.text('unknown role', 400)
    if (id === c.get('user')!.id || (role !== 'admin' && (await wouldOrphan(c, id))))
      return c.html(await page(c, { notice: c.get('v').t('users.lastAdmin') }), 409)
    await updateUser(ctx.db, id, { role }, ctx.now())
    await audit(c, {
      action: 'users.role',
      outcome: 'ok',
      detail: { userId: id, from: target.role, to: role },
    })
    return redirectAfterPost(c, '/users')
  })
  .post('/users/:id{[0-9]+}/:action{disable|enable}', async (c) => {
    const ctx = c.get('ctx')
    const id = Number(c.req.param('id'))
    const disable = c.req.param('action') === 'disable'
    if (!(await getUser(ctx.db, id))) return c.notFound()
    if (disable && (id === c.get('user')!.id || (await wouldOrphan(c, id))))
      return c.html(await page(c, { notice: c.get('v').t('users.lastAdmin') }), 409)
    await setUserDisabled(ctx.db, id, disable, ctx.now())
    await audit(c, {
      action: disable ? 'users.disable' : 'users.enable',
      outcome: 'ok',
      detail: { userId: id },
    })
    return redirectAfterPost(c, '/users')
  })
  .post('/users/:id{[0-9]+}/reset-2fa', async (c) => {
    const ctx = c.get('ctx')
    const id = Number(c.req.param('id'))
    if (!(await getUser(ctx.db, id))) return c.notFound()
    await updateUser(
      ctx.db,
      id,
      { totp_enabled: 0, totp_secret: null, recovery_codes: '[]' },
      ctx.now(),
    )
    await audit(c, { action: 'users.reset-2fa', outcome: 'ok', detail: { userId: id } })
    return redirectAfterPost(c, '/users')
  })
