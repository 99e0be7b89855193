// Generic JSON webhook signed with HMAC-SHA256, the escape hatch for every tool not listed. The
// body is the channel-neutral message plus the alert's state; headers carry the signature over
// "<timestamp>.<body>" so receivers can reject forgeries and replays, and the delivery's
// idempotency key so they can drop the duplicates at-least-once delivery may produce.
// Verification snippet: server/notifiers/README.md.
import { createHmac } from 'node:crypto'
import { z } from 'zod'
import { isHttpUrl, sendJson } from './http'
import type { NotifyMessage, Notifier } from './types'
import { say } from '../field-errors'

const schema = z
  .object({
    url: z
      .string()
      .trim()
      .refine(isHttpUrl, say('must be an http(s) URL', 'une adresse en http(s)')),
    secret: z.string().min(16, say('at least 16 characters', 'au moins 16 caractères')),
  })
  .strict()

export function webhookBody(m: NotifyMessage): Record<string, unknown> {
  return {
    event: m.event,
    title: m.title,
    text: m.text,
    link: m.link,
    lang: m.lang,
    fields: m.fields,
    alert: m.alert,
    ...(m.held && { held: m.held }),
  }
}

/** The signature a receiver recomputes: hex HMAC-SHA256 of "<timestamp>.<raw body>". */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`
}

const webhook: Notifier<z.infer<typeof schema>> = {
  id: 'webhook',
  label: 'Webhook (JSON)',
  description: {
    fr: 'POST JSON signé (HMAC-SHA256) vers votre propre service.',
    en: 'Signed JSON POST (HMAC-SHA256) to your own service.',
  },
  schema,
  fields: [
    { name: 'url', type: 'secret', required: true, label: { fr: 'URL', en: 'URL' } },
    {
      name: 'secret',
      type: 'secret',
      required: true,
      label: { fr: 'Secret de signature', en: 'Signing secret' },
      help: { fr: '16 caractères au moins.', en: 'At least 16 characters.' },
    },
  ],
  edits: false,
  async send(ctx, config, message) {
    const body = JSON.stringify(webhookBody(message))
    const timestamp = String(Math.floor(ctx.now().getTime() / 1000))
    await sendJson(ctx, 'webhook', {
      url: config.url,
      body,
      headers: {
        'x-vigie-event': message.event,
        'x-vigie-timestamp': timestamp,
        'x-vigie-signature': signWebhook(config.secret, timestamp, body),
        'idempotency-key': message.idempotencyKey,
      },
    })
    return {}
  },
}

export default webhook
