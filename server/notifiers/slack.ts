// Slack incoming webhook with Block Kit (https://api.slack.com/messaging/webhooks,
// https://api.slack.com/reference/block-kit/blocks). Incoming webhooks cannot edit a message, so
// acknowledgements and resolutions are posted as follow-ups. Slack answers 200 "ok"; a revoked
// webhook answers 403/404/410 and a rejected payload 400 "invalid_payload" (permanent errors).
import { z } from 'zod'
import { HOOK_URL, isHttpUrl, sendJson } from './http'
import type { NotifyMessage, Notifier } from './types'
// Slack mrkdwn: only &, < and > must be escaped (they delimit links and mentions)
import { escapeMarkup as slackEscape } from '../text'

const schema = z.object({ url: z.string().trim().refine(isHttpUrl, HOOK_URL) }).strict()

export function slackPayload(m: NotifyMessage): Record<string, unknown> {
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: m.title.slice(0, 150), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: slackEscape(m.text).slice(0, 3000) } },
  ]
  if (m.fields.length)
    blocks.push({
      type: 'section',
      fields: m.fields.slice(0, 10).map((f) => ({
        type: 'mrkdwn',
        text: `*${slackEscape(f.label)}*\n${slackEscape(f.value)}`.slice(0, 2000),
      })),
    })
  if (m.held?.length)
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: m.held
          .map((h) => `• <${h.link}|${slackEscape(h.title)}> — ${slackEscape(h.status)}`)
          .join('\n')
          .slice(0, 3000),
      },
    })
  blocks.push({
    type: 'actions',
    elements: [{ type: 'button', text: { type: 'plain_text', text: m.linkLabel }, url: m.link }],
  })
  return { text: m.title, blocks }
}

const slack: Notifier<z.infer<typeof schema>> = {
  id: 'slack',
  label: 'Slack',
  description: {
    fr: 'Webhook entrant Slack (Block Kit).',
    en: 'Slack incoming webhook (Block Kit).',
  },
  schema,
  fields: [
    {
      name: 'url',
      type: 'secret',
      required: true,
      placeholder: 'https://hooks.slack.com/services/…',
      label: { fr: 'URL du webhook', en: 'Webhook URL' },
    },
  ],
  edits: false,
  async send(ctx, config, message) {
    await sendJson(ctx, 'slack', { url: config.url, body: slackPayload(message) })
    return {}
  },
}

export default slack
