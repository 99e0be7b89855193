// The Notifier contract: one file per chat platform (server/notifiers/<id>.ts) registered by one
// line in index.ts. A notifier maps the channel-neutral NotifyMessage to its vendor's payload,
// posts it, and either resolves (with a reference to the posted message when the platform returns
// one, so later events can edit it) or throws a NotifierError saying whether retrying can help.
import type { z } from 'zod'
import type { FieldSpec, Localized } from '../../collectors/types'
import type { HttpClient } from '../../collectors/http'

export type MessageEvent = 'opened' | 'updated' | 'acknowledged' | 'resolved' | 'test' | 'held'
export type MessageTone = 'danger' | 'warning' | 'good' | 'info'

export interface MessageField {
  label: string
  value: string
}

/** What every platform renders, already in the channel's language. */
export interface NotifyMessage {
  event: MessageEvent
  /** One line: what happened, for which brand. */
  title: string
  /** A short paragraph (plain text, may contain line breaks). */
  text: string
  /** The alert page (or the alerts list) on this Vigie instance. */
  link: string
  linkLabel: string
  fields: MessageField[]
  tone: MessageTone
  lang: 'fr' | 'en'
  /** Stable per (alert, channel, event): the delivery's idempotency key. */
  idempotencyKey: string
  /** Stable per (alert, channel): lets platforms with threads group an alert's messages. */
  threadKey: string
  /** Machine-readable alert state for the generic webhook (null for a test or a digest). */
  alert: AlertPayload | null
  /** For a quiet-hours digest: the alerts held back. */
  held?: { title: string; status: string; link: string }[]
}

export interface AlertPayload {
  id: number
  brand: string
  kind: string
  status: string
  started_at: string
  peak_at: string
  peak_value: number
  baseline: number
  acknowledged_by: string | null
  resolved_by: string | null
  resolved_at: string | null
  url: string
  mentions_url: string
}

export interface NotifyContext {
  http: HttpClient
  now: () => Date
}

/** The platform's reference to a posted message (e.g. Discord's message id), stored as JSON. */
export type RemoteRef = Record<string, string>

export interface SendOutcome {
  ref?: RemoteRef
}

export interface Notifier<C = any> {
  id: string
  label: string
  description: Localized
  /** Strict zod schema of the channel's config (YAML keys and form fields). */
  schema: z.ZodType<C>
  fields: FieldSpec[]
  /** Whether a later event edits the first message (else it is posted as a follow-up). */
  edits: boolean
  /**
   * Posts the message. `opened` is the reference returned when the alert's first message was
   * sent to this channel, if any (for edits and threads).
   */
  send(
    ctx: NotifyContext,
    config: C,
    message: NotifyMessage,
    opened?: RemoteRef,
  ): Promise<SendOutcome>
}

/**
 * A failed send. `permanent`: retrying the same request cannot succeed (bad URL, revoked webhook,
 * rejected payload); `retryAfterMs`: the platform said when to come back (429).
 */
export class NotifierError extends Error {
  constructor(
    message: string,
    readonly opts: { status?: number; permanent?: boolean; retryAfterMs?: number } = {},
  ) {
    super(message)
    this.name = 'NotifierError'
  }
}
