// Signing in for tests: a real user row and a real server-side session (no bypass), returned as
// the Cookie header a browser would send, plus an app wrapper that adds it to every request.
import type { Hono } from 'hono'
import type { Db } from '../../db'
import { createSession } from '../../db/sessions'
import { createApiToken } from '../../db/tokens'
import { insertUser } from '../../db/users'
import { hashPassword } from '../../server/auth/passwords'
import { SESSION_COOKIE } from '../../server/auth'
import type { Role } from '../../server/context'

export const TEST_PASSWORD = 'correct horse battery'

let seq = 0

export interface SignedIn {
  user: { id: number; email: string; role: Role }
  cookie: string
  headers: Record<string, string>
}

/** A user with the role and an open session (created at `now`, the app's clock). */
export async function signIn(
  db: Db,
  role: Role = 'admin',
  now: Date = new Date(),
  opts: { email?: string; password?: string } = {},
): Promise<SignedIn> {
  const email = opts.email ?? `${role}${++seq}@test.example`
  const user = await insertUser(
    db,
    {
      email,
      role,
      passwordHash: opts.password === undefined ? null : await hashPassword(opts.password),
    },
    now,
  )
  const { token } = await createSession(db, user.id, { ip: 'test', userAgent: 'vitest' }, now)
  const cookie = `${SESSION_COOKIE}=${token}`
  return { user: { id: user.id, email, role }, cookie, headers: { cookie } }
}

/** An API token of the user, for `Authorization: Bearer`. */
export async function bearer(
  db: Db,
  userId: number,
  scope: 'read' | 'ingest',
  now: Date = new Date(),
): Promise<Record<string, string>> {
  const { token } = await createApiToken(db, userId, { name: 'test', scope }, now)
  return { authorization: `Bearer ${token}` }
}

function mergeCookie(init: RequestInit | undefined, cookie: string): RequestInit {
  const headers = new Headers(init?.headers)
  const existing = headers.get('cookie')
  headers.set('cookie', existing ? `${existing}; ${cookie}` : cookie)
  return { ...init, headers }
}

export type SignedInApp<A extends Hono<any>> = Pick<A, 'routes' | 'fetch'> & {
  request(input: string, init?: RequestInit): Promise<Response>
  /** The app without the session, for anonymous requests. */
  anonymous: A
}

/** The app as seen by a signed-in browser: every request carries the session cookie. */
export function withSession<A extends Hono<any>>(app: A, cookie: string): SignedInApp<A> {
  return {
    routes: app.routes,
    fetch: app.fetch,
    anonymous: app,
    request: (input, init) => Promise.resolve(app.request(input, mergeCookie(init, cookie))),
  }
}
