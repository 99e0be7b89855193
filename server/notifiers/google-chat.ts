// Google Chat incoming webhook (https://developers.google.com/workspace/chat/quickstart/webhooks,
// spaces.messages.create): a text fallback plus a cardsV2 card. Every message of one alert goes to
// the same thread (threadKey + messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD), so the
// acknowledgement and the resolution are replies under the alert. requestId makes the send
// idempotent: re-sending after a crash returns the message already created instead of a duplicate.
import { z } from 'zod'
import { HOOK_URL, isHttpUrl, sendJson } from './http'
// Google Chat's card and text markup is HTML-like
import { escapeMarkup as html } from '../text'
import type { NotifyMessage, Notifier } from './types'

const schema = z.object({ url: z.string().trim().refine(isHttpUrl, HOOK_URL) }).strict()

export function googleChatPayload(m: NotifyMessage): Record<string, unknown> {
  const widgets: Record<string, unknown>[] = [{ textParagraph: { text: html(m.text) } }]
  for (const f of m.fields)
    widgets.push({ decoratedText: { topLabel: f.label, text: html(f.value) } })
  if (m.held?.length)
    widgets.push({
      textParagraph: {
        text: m.held
          .map((h) => `• <a href="${html(h.link)}">${html(h.title)}</a> — ${html(h.status)}`)
          .join('<br>'),
      },
    })
  widgets.push({
    buttonList: { buttons: [{ text: m.linkLabel, onClick: { openLink: { url: m.link } } }] },
  })
  return {
    text: html(m.title),
    cardsV2: [
      {
        cardId: 'vigie-alert',
        card: { header: { title: m.title, subtitle: 'Vigie' }, sections: [{ widgets }] },
      },
    ],
  }
}

export function googleChatUrl(url: string, m: NotifyMessage): string {
  const u = new URL(url)
  u.searchParams.set('threadKey', m.threadKey)
  u.searchParams.set('messageReplyOption', 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD')
  u.searchParams.set('requestId', m.idempotencyKey)
  return u.toString()
}

const googleChat: Notifier<z.infer<typeof schema>> = {
  id: 'google-chat',
  label: 'Google Chat',
  description: {
    fr: 'Webhook entrant d’un espace Google Chat (fil par alerte).',
    en: 'Google Chat space incoming webhook (one thread per alert).',
  },
  schema,
  fields: [
    {
      name: 'url',
      type: 'secret',
      required: true,
      placeholder: 'https://chat.googleapis.com/v1/spaces/…/messages?key=…&token=…',
      label: { fr: 'URL du webhook', en: 'Webhook URL' },
    },
  ],
  edits: false,
  async send(ctx, config, message) {
    const res = await sendJson(ctx, 'google-chat', {
      url: googleChatUrl(config.url, message),
      body: googleChatPayload(message),
    })
    try {
      const data = JSON.parse(res.body) as { name?: string; thread?: { name?: string } }
      return data.name ? { ref: { name: data.name, thread: data.thread?.name ?? '' } } : {}
    } catch {
      return {}
    }
  },
}

export default googleChat
