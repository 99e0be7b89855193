// Mattermost incoming webhook (https://developers.mattermost.com/integrate/webhooks/incoming/):
// markdown `text` plus one Slack-style message attachment (colour bar, title link, short fields).
// Incoming webhooks cannot edit a post, so later events are follow-ups.
import { z } from 'zod'
import { HOOK_URL, isHttpUrl, sendJson } from './http'
import { markdownText as md } from './escape'
import type { NotifyMessage, Notifier } from './types'

const schema = z
  .object({
    url: z.string().trim().refine(isHttpUrl, HOOK_URL),
    /** Overrides the webhook's default channel (only if the webhook allows it). */
    channel: z.string().trim().min(1).optional(),
    username: z.string().trim().min(1).optional(),
  })
  .strict()

export const TONE_HEX = { danger: '#c62828', warning: '#ef6c00', good: '#2e7d32', info: '#1565c0' }

export function mattermostPayload(
  m: NotifyMessage,
  opts: { channel?: string; username?: string } = {},
): Record<string, unknown> {
  const held = m.held?.length
    ? `\n\n${m.held.map((h) => `- [${md(h.title)}](${h.link}) — ${md(h.status)}`).join('\n')}`
    : ''
  return {
    ...(opts.channel && { channel: opts.channel }),
    ...(opts.username && { username: opts.username }),
    text: `**${md(m.title)}**`,
    attachments: [
      {
        fallback: md(m.title),
        color: TONE_HEX[m.tone],
        title: m.linkLabel,
        title_link: m.link,
        text: md(m.text) + held,
        fields: m.fields.map((f) => ({ short: true, title: f.label, value: md(f.value) })),
      },
    ],
  }
}

const mattermost: Notifier<z.infer<typeof schema>> = {
  id: 'mattermost',
  label: 'Mattermost',
  description: { fr: 'Webhook entrant Mattermost.', en: 'Mattermost incoming webhook.' },
  schema,
  fields: [
    {
      name: 'url',
      type: 'secret',
      required: true,
      placeholder: 'https://chat.example.com/hooks/…',
      label: { fr: 'URL du webhook', en: 'Webhook URL' },
    },
    {
      name: 'channel',
      type: 'text',
      label: { fr: 'Canal (facultatif)', en: 'Channel (optional)' },
    },
    {
      name: 'username',
      type: 'text',
      label: { fr: 'Nom affiché (facultatif)', en: 'Display name (optional)' },
    },
  ],
  edits: false,
  async send(ctx, config, message) {
    await sendJson(ctx, 'mattermost', {
      url: config.url,
      body: mattermostPayload(message, config),
    })
    return {}
  },
}

export default mattermost
