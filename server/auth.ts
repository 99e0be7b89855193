// The access layer, applied centrally to every request so routes added by any module are covered
// without touching their handlers: resolve the session cookie or `Authorization: Bearer` token
// into the request's user, check the route policy (server/auth/policy.ts), answer 401/403 JSON to
// the API and redirect pages to /signin, force 2FA enrolment when an admin requires it, and
// append one audit record for every successful state-changing request.
import type { Context, MiddlewareHandler } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { appendAudit, type AuditInput } from '../db/audit'
import { ABSOLUTE_TIMEOUT_MS, createSession, resolveSession } from '../db/sessions'
import { getSetting } from '../db/settings'
import { refusedTokenOwner, resolveApiToken } from '../db/tokens'
import type { Env } from './app'
import type { AppContext, SessionUser } from './context'
import { allows, isAudited, requirementFor, scopeAllows } from './auth/policy'
import { ForbiddenPage } from '../views/pages/signin'
import { HX } from './htmx'

export const SESSION_COOKIE = 'vigie_session'
export const REQUIRE_2FA_SETTING = 'require_2fa'

/** Requests whose handler wrote a richer audit record themselves (no generic duplicate). */
const explicitlyAudited = new WeakSet<Request>()

export function clientIp(c: Context<Env>): string {
  // Behind a reverse proxy every socket is the proxy's: the per-IP sign-in throttle would then
  // slow everyone down together. TRUST_PROXY takes the address the (single) proxy appended.
  if (c.get('ctx')?.config.trustProxy) {
    const fwd = c.req.header('x-forwarded-for')
    const last = fwd?.split(',').pop()?.trim()
    if (last) return last
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)
    ?.incoming
  return incoming?.socket?.remoteAddress ?? 'local'
}

/** Appends an audit record for this request (who, from where) and marks it as audited. */
export async function audit(
  c: Context<Env>,
  e: Omit<AuditInput, 'userId' | 'actor' | 'ip' | 'method' | 'path'> &
    Partial<Pick<AuditInput, 'userId' | 'actor'>>,
): Promise<void> {
  const ctx = c.get('ctx')
  const user = c.get('user')
  explicitlyAudited.add(c.req.raw)
  await appendAudit(
    ctx.db,
    {
      userId: e.userId !== undefined ? e.userId : (user?.id ?? null),
      actor: e.actor ?? user?.email ?? 'anonymous',
      method: c.req.method,
      path: c.req.path,
      ip: clientIp(c),
      ...e,
    },
    ctx.now(),
  )
}

function secureCookies(ctx: AppContext): boolean {
  return ctx.config.baseUrl.startsWith('https:')
}

/** Opens a session for the user and sets the cookie (HttpOnly, SameSite=Lax, Secure on https). */
export async function startSession(
  c: Context<Env>,
  userId: number,
  stage: 'full' | 'mfa' = 'full',
): Promise<string> {
  const ctx = c.get('ctx')
  const { token, session } = await createSession(
    ctx.db,
    userId,
    { ip: clientIp(c), userAgent: c.req.header('user-agent') ?? '', stage },
    ctx.now(),
  )
  setCookie(c, SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: secureCookies(ctx),
    maxAge: Math.floor(ABSOLUTE_TIMEOUT_MS / 1000),
  })
  return session.id
}

export function endSessionCookie(c: Context<Env>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: secureCookies(c.get('ctx')) })
}

/** Where a signed-out visitor is sent, remembering the page they asked for. */
export function signinUrl(c: Context): string {
  const url = new URL(c.req.url)
  const back = url.pathname + url.search
  return back === '/' || c.req.method !== 'GET'
    ? '/signin'
    : `/signin?next=${encodeURIComponent(back)}`
}

function unauthenticated(c: Context<Env>): Response {
  if (c.req.path.startsWith('/api/')) {
    c.header('WWW-Authenticate', 'Bearer realm="vigie"')
    return c.json({ error: 'authentication required' }, 401)
  }
  if (c.req.header(HX.request) === 'true') {
    c.header(HX.redirect, signinUrl(c))
    return c.body(null, 401)
  }
  return c.redirect(signinUrl(c), c.req.method === 'GET' || c.req.method === 'HEAD' ? 302 : 303)
}

function forbidden(c: Context<Env>, need: string, user: SessionUser): Response | Promise<Response> {
  if (c.req.path.startsWith('/api/')) return c.json({ error: 'forbidden', need }, 403)
  return c.html(ForbiddenPage({ v: { ...c.get('v'), user } }), 403)
}

function toSessionUser(
  u: { id: number; email: string; name: string; role: string; totp_enabled: number },
  extra: Partial<SessionUser>,
): SessionUser {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role as SessionUser['role'],
    totpEnabled: !!u.totp_enabled,
    ...extra,
  }
}

// A refused token is recorded once an hour per token, reason and process: a script retrying every
// minute with a revoked token must show in the log without filling it.
const REFUSED_TOKEN_EVERY_MS = 3_600_000
const refusedTokenSeen = new Map<string, number>()

async function auditRefusedToken(
  c: Context<Env>,
  owner: { id: number; email: string },
  tokenId: number,
  detail: Record<string, string>,
): Promise<void> {
  const ctx = c.get('ctx')
  const now = ctx.now()
  const key = `${tokenId}:${detail.reason}`
  const last = refusedTokenSeen.get(key)
  if (last !== undefined && now.getTime() - last < REFUSED_TOKEN_EVERY_MS) return
  if (refusedTokenSeen.size >= 1000) refusedTokenSeen.clear()
  refusedTokenSeen.set(key, now.getTime())
  await audit(c, {
    userId: owner.id,
    actor: owner.email,
    action: 'tokens.refused',
    outcome: 'denied',
    detail: { tokenId, ...detail },
  })
}

export function accessControl(): MiddlewareHandler<Env> {
  return async (c, next) => {
    const ctx = c.get('ctx')
    const now = ctx.now()
    const method = c.req.method
    const path = c.req.path
    // A user set by an outer layer is kept: in production createApp is the outermost app, so only
    // an in-process harness (tests composing apps) can do this; everything below still applies.
    let user: SessionUser | null = c.get('user') ?? null

    const authz = c.req.header('authorization')
    if (user) {
      // identified by the outer layer
    } else if (authz && /^Bearer\s+/i.test(authz)) {
      const secret = authz.replace(/^Bearer\s+/i, '').trim()
      const found = await resolveApiToken(ctx.db, secret, now)
      if (!found) {
        const owner = await refusedTokenOwner(ctx.db, secret)
        if (owner)
          await auditRefusedToken(c, { id: owner.userId, email: owner.email }, owner.tokenId, {
            reason: owner.reason,
          })
        c.header('WWW-Authenticate', 'Bearer realm="vigie", error="invalid_token"')
        return c.json({ error: 'invalid or revoked token' }, 401)
      }
      if (!scopeAllows(found.token.scope, method, path)) {
        await auditRefusedToken(c, found.user, found.token.id, {
          reason: 'scope',
          scope: found.token.scope,
        })
        return c.json(
          { error: 'token scope does not allow this request', scope: found.token.scope },
          403,
        )
      }
      user = toSessionUser(found.user, { tokenScope: found.token.scope })
      c.set('tokenScopes', [found.token.scope])
    } else {
      const cookie = getCookie(c, SESSION_COOKIE)
      if (cookie) {
        const found = await resolveSession(ctx.db, cookie, now)
        if (found?.session.stage === 'full')
          user = toSessionUser(found.user, { sessionId: found.session.id })
      }
    }
    c.set('user', user)

    const rule = requirementFor(method, path)
    if (rule.tokenOnly && !user?.tokenScope) {
      c.header('WWW-Authenticate', 'Bearer realm="vigie"')
      return c.json({ error: 'an API token is required (Authorization: Bearer …)' }, 401)
    }
    if (!allows(rule.need, user?.role ?? null)) {
      if (!user) return unauthenticated(c)
      if (isAudited(method, path))
        await audit(c, {
          userId: user.id,
          actor: user.email,
          action: 'access.denied',
          outcome: 'denied',
          detail: { need: rule.need, role: user.role },
        })
      return forbidden(c, rule.need, user)
    }

    // An admin can make two-factor mandatory: until enrolled, only the account pages work, and
    // no API token does (a token is a way in without the second factor): none can be made, and
    // those made before it became mandatory wait for their owner's enrolment.
    if (
      user &&
      !user.totpEnabled &&
      rule.need !== 'public' &&
      (user.tokenScope || !path.startsWith('/account') || path === '/account/tokens') &&
      (await getSetting(ctx.db, REQUIRE_2FA_SETTING)) === '1'
    ) {
      if (path.startsWith('/api/')) return c.json({ error: 'two-factor enrolment required' }, 403)
      // back to the page they asked for once enrolled (a GET only: a form post is not replayed)
      const url = new URL(c.req.url)
      const enrol =
        method === 'GET' && path !== '/'
          ? `/account/2fa?next=${encodeURIComponent(path + url.search)}`
          : '/account/2fa'
      if (c.req.header(HX.request) === 'true') {
        c.header(HX.redirect, enrol)
        return c.body(null, 403)
      }
      return c.redirect(enrol, 303)
    }

    await next()

    if (
      user &&
      isAudited(method, path) &&
      c.res.status < 400 &&
      !explicitlyAudited.has(c.req.raw)
    ) {
      await appendAudit(
        ctx.db,
        {
          userId: user.id,
          actor: user.email,
          action: auditAction(method, path),
          method,
          path,
          outcome: 'ok',
          detail: { status: c.res.status, ...(await auditTarget(c, path)) },
          ip: clientIp(c),
        },
        ctx.now(),
      )
    }
  }
}

/**
 * What a generic record is about: the id in the path and the name the form gave (the body is
 * already parsed and cached by the handler), so "sources.create" says which source.
 */
async function auditTarget(
  c: Context<Env>,
  path: string,
): Promise<{ id?: number; name?: string; active?: boolean }> {
  const out: { id?: number; name?: string; active?: boolean } = {}
  const id = /\/(\d+)(\/|$)/.exec(path)
  if (id) out.id = Number(id[1])
  try {
    const body = await c.req.parseBody()
    if (typeof body.name === 'string' && body.name.trim()) out.name = body.name.trim().slice(0, 100)
    // a brand paused or watched again (its form's box): monitoring that stops is worth a trace
    if (body.has_active !== undefined) out.active = body.active !== undefined
  } catch {
    // not a form: nothing to add
  }
  return out
}

/** "POST /sources/3/delete" → "sources.delete"; "POST /brands" → "brands.create". */
export function auditAction(method: string, path: string): string {
  const parts = path.split('/').filter(Boolean)
  const area =
    parts[0] === 'api' || parts[0] === 'settings' ? parts.slice(0, 2).join('.') : parts[0]
  const last = parts[parts.length - 1] ?? ''
  const verb =
    method === 'DELETE' || last === 'delete'
      ? 'delete'
      : parts.length === 1 || (parts[0] === 'settings' && parts.length === 2)
        ? 'create'
        : /^[0-9]+$/.test(last)
          ? 'update'
          : last
  return `${area ?? 'root'}.${verb}`
}
