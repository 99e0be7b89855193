// The route policy: which role a request needs, decided from its method and path alone, so routes
// added by any module are covered without touching their handlers. First matching rule wins;
// reads default to viewer, any unknown state-changing request to admin (fail closed).
import type { Role } from '../context'

export type Requirement = Role | 'public' | 'signed-in'

export interface PolicyRule {
  methods: string[] | '*'
  path: RegExp
  need: Requirement
  /** Shown in the route × role table of the README. */
  why: string
  /** Only an API token (Authorization: Bearer) may call it, never a browser session. */
  tokenOnly?: boolean
}

const SAFE = ['GET', 'HEAD', 'OPTIONS']
const W = ['POST', 'PUT', 'PATCH', 'DELETE']

export const RANK: Record<Role, number> = { viewer: 0, responder: 1, admin: 2 }

export const POLICY: PolicyRule[] = [
  // Public: health, assets, signing in and out, the language switch, first-run setup.
  { methods: SAFE, path: /^\/healthz$/, need: 'public', why: 'health checks' },
  { methods: SAFE, path: /^\/static\//, need: 'public', why: 'static assets' },
  { methods: '*', path: /^\/signin(\/2fa)?$/, need: 'public', why: 'sign-in' },
  { methods: '*', path: /^\/signout$/, need: 'public', why: 'sign-out' },
  { methods: '*', path: /^\/setup\/[^/]+$/, need: 'public', why: 'one-time setup link' },
  { methods: ['POST'], path: /^\/lang$/, need: 'public', why: 'language switch' },
  { methods: ['POST'], path: /^\/tz$/, need: 'public', why: 'time zone of the pages' },
  {
    methods: '*',
    path: /^\/digest\/unsubscribe\/[^/]+$/,
    need: 'public',
    why: 'one-click unsubscribe from the digest e-mail (RFC 8058)',
  },
  // Anyone signed in manages their own account (password, 2FA, sessions, API tokens).
  { methods: '*', path: /^\/account(\/|$)/, need: 'signed-in', why: 'own account' },
  // Admin-only reads: people, the audit log, privacy tools and exports.
  { methods: SAFE, path: /^\/(users|audit)(\/|$)/, need: 'admin', why: 'users, audit log' },
  {
    methods: SAFE,
    path: /^\/settings\/(exclusions|retention|privacy|channels|digest)(\/|$)/,
    need: 'admin',
    why: 'admin settings (the hub shows these cards to admins only)',
  },
  { methods: SAFE, path: /^\/api\/(export|audit)(\/|$)/, need: 'admin', why: 'export' },
  // Forms whose only purpose is a configuration change (a viewer could not submit them).
  {
    methods: SAFE,
    path: /^\/(?!mentions\/|alerts\/|account\/)[^?]*\/(new|edit)$/,
    need: 'admin',
    why: 'configuration forms',
  },
  // Responders: triage, answers and approvals, acknowledging alerts.
  {
    methods: W,
    path: /^\/mentions\/([^/]+\/(status|assign|assignee|label|note|triage|mute|unmute|answer|answers)(\/|$)|bulk$)/,
    need: 'responder',
    why: 'triage and answers',
  },
  { methods: W, path: /^\/answers\//, need: 'responder', why: 'answers and approvals' },
  {
    methods: W,
    path: /^\/alerts\/[^/]+\/(ack|acknowledge|resolve|reopen|note)$/,
    need: 'responder',
    why: 'alert acknowledgement',
  },
  {
    methods: W,
    path: /^\/api\/mentions\/[^/]+\/(status|label|assign)/,
    need: 'responder',
    why: 'triage API',
  },
  // Pushing mentions in (token with the "ingest" scope, checked by the route itself).
  {
    methods: ['POST'],
    path: /^\/api\/ingest$/,
    need: 'responder',
    why: 'ingest API',
    tokenOnly: true,
  },
  // Everything else: reads for viewers, writes for admins.
  { methods: SAFE, path: /^\//, need: 'viewer', why: 'read' },
  { methods: '*', path: /^\//, need: 'admin', why: 'configuration change (default)' },
]

export function requirementFor(method: string, path: string): PolicyRule {
  const m = method.toUpperCase()
  for (const rule of POLICY) {
    if (rule.methods !== '*' && !rule.methods.includes(m)) continue
    if (rule.path.test(path)) return rule
  }
  return POLICY[POLICY.length - 1]
}

export function allows(need: Requirement, role: Role | null): boolean {
  if (need === 'public') return true
  if (!role) return false
  if (need === 'signed-in') return true
  return RANK[role] >= RANK[need]
}

/** API token scopes cap what a token can do whatever its owner's role. */
export type TokenScope = 'read' | 'ingest'
export const TOKEN_SCOPES: TokenScope[] = ['read', 'ingest']

export function scopeAllows(scope: string, method: string, path: string): boolean {
  if (!path.startsWith('/api/') && path !== '/healthz') return false
  if (SAFE.includes(method.toUpperCase())) return scope === 'read' || scope === 'ingest'
  return scope === 'ingest' && /^\/api\/ingest(\/|$)/.test(path)
}

/** State-changing requests are audited; a few noisy self-service ones are not worth a record. */
export function isAudited(method: string, path: string): boolean {
  if (SAFE.includes(method.toUpperCase())) return false
  // the brand editor's live preview posts at every keystroke and changes nothing; a browser's
  // language and time zone are its own display preferences (cookies), not changes to Vigie
  return !/^\/(lang|tz|signin|signin\/2fa|signout|brands\/preview)$/.test(path)
}
