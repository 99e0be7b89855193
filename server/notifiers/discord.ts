// Discord webhook with an embed (https://discord.com/developers/docs/resources/webhook#execute-webhook).
// Posting with ?wait=true returns the message, whose id is kept so that acknowledging or resolving
// the alert edits that same message (PATCH /webhooks/{id}/{token}/messages/{message_id},
// #edit-webhook-message); if it was deleted (404) a new message is posted instead.
// allowed_mentions is empty: mention text must never ping @everyone.
import { z } from 'zod'
import { HOOK_URL, isHttpUrl, sendJson } from './http'
import { markdownText as md } from './escape'
import type { NotifyMessage, Notifier } from './types'

const schema = z.object({ url: z.string().trim().refine(isHttpUrl, HOOK_URL) }).strict()

const COLOR = { danger: 0xc62828, warning: 0xef6c00, good: 0x2e7d32, info: 0x1565c0 }

export function discordPayload(m: NotifyMessage): Record<string, unknown> {
  const held = m.held?.length
    ? `\n\n${m.held.map((h) => `• [${md(h.title)}](${h.link}) — ${md(h.status)}`).join('\n')}`
    : ''
  return {
    content: '',
    embeds: [
      {
        title: m.title.slice(0, 256),
        url: m.link,
        description: (md(m.text) + held).slice(0, 4096),
        color: COLOR[m.tone],
        fields: m.fields.slice(0, 25).map((f) => ({
          name: f.label.slice(0, 256),
          value: md(f.value).slice(0, 1024),
          inline: true,
        })),
      },
    ],
    allowed_mentions: { parse: [] },
  }
}

function withPath(url: string, suffix: string, params: Record<string, string> = {}): string {
  const u = new URL(url)
  u.pathname = u.pathname.replace(/\/$/, '') + suffix
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v)
  return u.toString()
}

const discord: Notifier<z.infer<typeof schema>> = {
  id: 'discord',
  label: 'Discord',
  description: {
    fr: 'Webhook Discord (embed, mis à jour à l’acquittement et à la résolution).',
    en: 'Discord webhook (embed, edited when acknowledged and resolved).',
  },
  schema,
  fields: [
    {
      name: 'url',
      type: 'secret',
      required: true,
      placeholder: 'https://discord.com/api/webhooks/…',
      label: { fr: 'URL du webhook', en: 'Webhook URL' },
    },
  ],
  edits: true,
  async send(ctx, config, message, opened) {
    const body = discordPayload(message)
    if (opened?.messageId && message.event !== 'opened') {
      const res = await sendJson(
        ctx,
        'discord',
        { url: withPath(config.url, `/messages/${opened.messageId}`), method: 'PATCH', body },
        { okStatus: [404] },
      )
      if (res.status !== 404) return { ref: opened }
    }
    const res = await sendJson(ctx, 'discord', {
      url: withPath(config.url, '', { wait: 'true' }),
      body,
    })
    // The message is posted: an answer without its id (cut, not JSON) must not fail the delivery,
    // whose retry would post it again. Later events then post a new message instead of editing.
    let id: unknown
    try {
      id = (JSON.parse(res.body) as { id?: unknown }).id
    } catch {
      id = undefined
    }
    return typeof id === 'string' ? { ref: { messageId: id } } : {}
  },
}

export default discord
