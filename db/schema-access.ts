// Users, sessions, API tokens, one-time setup links, the audit log, answers with their approvals
// and the daily aggregates kept after retention purges (issue 8).
import type { ColumnType, Generated, Selectable } from 'kysely'
import type { Role } from '../server/context'

export interface UsersTable {
  id: Generated<number>
  /** Lower-cased; unique. */
  email: string
  name: string
  role: Role
  /** scrypt$N$r$p$salt$hash (server/auth/passwords.ts); null until a password is set. */
  password_hash: string | null
  /** Base32 TOTP secret; kept while 2FA is being enrolled, enabled when totp_enabled = 1. */
  totp_secret: string | null
  totp_enabled: ColumnType<number, number | undefined, number>
  /** The last accepted TOTP time step: a code is accepted once (no replay within its window). */
  totp_last_step: ColumnType<number, number | undefined, number>
  /** JSON array of sha256 hashes of unused recovery codes. */
  recovery_codes: ColumnType<string, string | undefined, string>
  disabled: ColumnType<number, number | undefined, number>
  last_sign_in_at: string | null
  created_at: string
  updated_at: string
}

export interface SessionsTable {
  /** sha256 of the cookie value: a stolen database does not yield usable cookies. */
  id: string
  user_id: number
  /** 'full', or 'mfa' between the password and the second factor. */
  stage: string
  created_at: string
  last_seen_at: string
  ip: string
  user_agent: string
}

export interface ApiTokensTable {
  id: Generated<number>
  user_id: number
  name: string
  /** 'read' (GET /api/*) or 'ingest' (read + POST /api/ingest*). */
  scope: string
  token_hash: string
  /** The first characters, shown in lists so a user can tell tokens apart. */
  prefix: string
  created_at: string
  last_used_at: string | null
  revoked_at: string | null
}

export interface SetupTokensTable {
  id: Generated<number>
  token_hash: string
  purpose: string
  created_at: string
  expires_at: string
  used_at: string | null
}

export interface AuditLogTable {
  id: Generated<number>
  at: string
  user_id: number | null
  /** Copied so the record survives the user's deletion. */
  actor: string
  action: string
  method: string
  path: string
  /** 'ok' | 'denied' | 'failed' */
  outcome: string
  /** JSON object with non-personal details (counts, ids, kinds). */
  detail: ColumnType<string, string | undefined, string>
  ip: string
}

export interface AnswersTable {
  id: Generated<number>
  mention_id: number
  body: string
  /** draft → approved (ready to publish) → published */
  status: ColumnType<string, string | undefined, string>
  author_id: number
  updated_by: number
  approved_by: number | null
  approved_at: string | null
  published_url: string | null
  published_at: string | null
  created_at: string
  updated_at: string
}

export interface DailyCountsTable {
  brand_id: number
  /** YYYY-MM-DD (UTC) */
  day: string
  label: string
  count: number
}

/** Consecutive failed sign-ins per key (`acct:<email>` or `ip:<address>`), forgotten after a day. */
export interface SigninFailuresTable {
  key: string
  failures: number
  last_at: string
}

export interface AccessTables {
  users: UsersTable
  sessions: SessionsTable
  api_tokens: ApiTokensTable
  setup_tokens: SetupTokensTable
  audit_log: AuditLogTable
  answers: AnswersTable
  daily_counts: DailyCountsTable
  signin_failures: SigninFailuresTable
}

export type User = Selectable<UsersTable>
export type Session = Selectable<SessionsTable>
export type ApiToken = Selectable<ApiTokensTable>
export type AuditEntry = Selectable<AuditLogTable>
export type Answer = Selectable<AnswersTable>
