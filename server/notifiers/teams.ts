// Microsoft Teams through a Workflows (Power Automate) webhook posting an Adaptive Card: the
// "Post to a channel when a webhook request is received" template expects a message activity whose
// attachments hold the card (https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/add-incoming-webhook;
// the Office 365 connectors are retired). Workflows answers 202 Accepted and returns no message id,
// so later events are follow-up cards.
import { z } from 'zod'
import { isHttpUrl, sendJson } from './http'
import { teamsText as md } from './escape'
import type { NotifyMessage, Notifier } from './types'
import { say } from '../field-errors'

const schema = z
  .object({
    url: z
      .string()
      .trim()
      .refine(
        isHttpUrl,
        say('must be an http(s) workflow URL', 'une adresse de workflow en http(s)'),
      ),
  })
  .strict()

const COLOR = { danger: 'Attention', warning: 'Warning', good: 'Good', info: 'Default' } as const

export function teamsPayload(m: NotifyMessage): Record<string, unknown> {
  const body: Record<string, unknown>[] = [
    {
      type: 'TextBlock',
      text: md(m.title),
      weight: 'Bolder',
      size: 'Medium',
      color: COLOR[m.tone],
      wrap: true,
    },
    { type: 'TextBlock', text: md(m.text), wrap: true },
  ]
  if (m.fields.length)
    body.push({
      type: 'FactSet',
      facts: m.fields.map((f) => ({ title: f.label, value: md(f.value) })),
    })
  if (m.held?.length)
    body.push({
      type: 'TextBlock',
      text: m.held.map((h) => `- [${md(h.title)}](${h.link}) — ${md(h.status)}`).join('\n'),
      wrap: true,
    })
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          actions: [{ type: 'Action.OpenUrl', title: m.linkLabel, url: m.link }],
        },
      },
    ],
  }
}

const teams: Notifier<z.infer<typeof schema>> = {
  id: 'teams',
  label: 'Microsoft Teams',
  description: {
    fr: 'Webhook Workflows de Teams (carte adaptative).',
    en: 'Teams Workflows webhook (Adaptive Card).',
  },
  schema,
  fields: [
    {
      name: 'url',
      type: 'secret',
      required: true,
      placeholder: 'https://….powerautomate.com/…',
      label: { fr: 'URL du workflow', en: 'Workflow URL' },
      help: {
        fr: 'Dans le canal : Workflows → « Publier dans un canal lors de la réception d’une requête webhook ».',
        en: 'In the channel: Workflows → "Post to a channel when a webhook request is received".',
      },
    },
  ],
  edits: false,
  async send(ctx, config, message) {
    await sendJson(ctx, 'teams', { url: config.url, body: teamsPayload(message) })
    return {}
  },
}

export default teams
