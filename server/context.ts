// The AppContext: built once in main.ts and passed down, so tests can pin the clock, swap the
// network and use a throw-away database. Nothing reaches for globals.
import type { HttpClient } from '../collectors/http'
import type { Db } from '../db'
import type { Config } from './config'
import type { Logger } from './log'

export interface AppContext {
  db: Db
  dialect: 'sqlite' | 'postgres'
  config: Config
  log: Logger
  now: () => Date
  http: HttpClient
}

export type Role = 'admin' | 'responder' | 'viewer'

/** The signed-in person, set on each request by the access layer (null when nobody is). */
export interface SessionUser {
  id: number
  email: string
  name: string
  role: Role
  /** Set when the request came with a session cookie (its storage id), for "this device". */
  sessionId?: string
  /** Set when the request came with an API token: its scope. */
  tokenScope?: string
  totpEnabled?: boolean
}
