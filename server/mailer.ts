// Sending e-mail: nodemailer over SMTP from SMTP_URL (smtp:// upgrades with STARTTLS when the
// server offers it; smtps:// is TLS from the first byte). One transport per process, reused.
import nodemailer, { type Transporter } from 'nodemailer'
import type { Config } from './config'

export interface OutgoingMail {
  to: string
  subject: string
  html: string
  text: string
  /** Stable Message-ID (with angle brackets): a resend after a crash carries the same one. */
  messageId?: string
  headers?: Record<string, string>
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string; accepted: string[] }>
  close(): void
}

export class MailerNotConfigured extends Error {
  constructor() {
    super('smtp: SMTP_URL is not set, no e-mail can be sent')
  }
}

export function createMailer(config: Pick<Config, 'smtpUrl' | 'mailFrom'>): Mailer {
  let transport: Transporter | undefined
  const get = () => {
    if (!config.smtpUrl) throw new MailerNotConfigured()
    transport ??= nodemailer.createTransport({
      url: config.smtpUrl,
      // Fail fast: the caller retries with backoff rather than hanging a tick.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    })
    return transport
  }
  return {
    async send(mail) {
      try {
        const info = await get().sendMail({
          from: config.mailFrom,
          to: mail.to,
          subject: mail.subject,
          html: mail.html,
          text: mail.text,
          messageId: mail.messageId,
          headers: mail.headers,
        })
        const accepted = (info.accepted ?? []).map(String)
        if (!accepted.length)
          throw new Error(`the server refused ${mail.to}: ${String(info.response ?? '')}`)
        return { messageId: info.messageId, accepted }
      } catch (err) {
        if (err instanceof MailerNotConfigured) throw err
        const e = err as Error & { code?: string; responseCode?: number; response?: string }
        const detail = e.response ?? e.message
        // No credentials in errors: nodemailer messages never carry the URL, only host/port.
        throw new Error(
          `smtp: ${e.code ?? 'error'}${e.responseCode ? ` ${e.responseCode}` : ''}: ${detail}`.slice(
            0,
            400,
          ),
        )
      }
    },
    close() {
      transport?.close()
      transport = undefined
    },
  }
}

const shared = new WeakMap<object, Mailer>()

/** The process's mailer for a config (routes and jobs share one pooled transport). */
export function mailerFor(config: Config): Mailer {
  let m = shared.get(config)
  if (!m) shared.set(config, (m = createMailer(config)))
  return m
}
