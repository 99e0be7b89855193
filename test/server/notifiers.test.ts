// Every notifier against a real HTTP receiver on 127.0.0.1, asserting the exact payload each
// platform gets, its URL and headers, edits where the platform allows them, and how failures
// are classified (permanent vs. retry later).
import { createHmac } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createHttpClient } from '../../collectors/http'
import { notifiers } from '../../server/notifiers'
import { NotifierError, type NotifyMessage } from '../../server/notifiers/types'
import { signWebhook } from '../../server/notifiers/webhook'
import { markdownText, teamsText } from '../../server/notifiers/escape'
import { escapeMarkup } from '../../server/text'
import { mattermostPayload } from '../../server/notifiers/mattermost'
import { teamsPayload } from '../../server/notifiers/teams'
import { startFixtureServer, type FixtureServer } from '../helpers/fixture-server'

const NOW = new Date('2026-03-10T12:00:00Z')
const ctx = { http: createHttpClient({ now: () => NOW, timeoutMs: 2000 }), now: () => NOW }

const MSG: NotifyMessage = {
  event: 'opened',
  title: 'Telvia : Pic de mentions négatives',
  text: 'Pic de mentions négatives. 42 en 30 min (≈ 3 attendues) depuis le 10 mars.\nTermes fréquents : panne, réseau <b>',
  link: 'https://vigie.example.com/alerts/7',
  linkLabel: 'Ouvrir l’alerte',
  fields: [
    { label: 'Pic', value: '42 en 30 min' },
    { label: 'Attendu', value: '3' },
  ],
  tone: 'danger',
  lang: 'fr',
  idempotencyKey: 'vigie-a7-c2-opened',
  threadKey: 'vigie-alert-7',
  alert: {
    id: 7,
    brand: 'Telvia',
    kind: 'negative_spike',
    status: 'open',
    started_at: '2026-03-10T11:00:00.000Z',
    peak_at: '2026-03-10T11:30:00.000Z',
    peak_value: 42,
    baseline: 3,
    acknowledged_by: null,
    resolved_by: null,
    resolved_at: null,
    url: 'https://vigie.example.com/alerts/7',
    mentions_url: 'https://vigie.example.com/mentions?brand=1',
  },
}

let srv: FixtureServer
beforeEach(async () => {
  srv = await startFixtureServer()
})
afterEach(async () => {
  await srv.close()
})

const body = (i = 0) => JSON.parse(srv.requests[i].body)

describe('payloads', () => {
  it('slack: Block Kit with a text fallback, mrkdwn escaped', async () => {
    srv.route('/services/T/B/x', { status: 200, body: 'ok' })
    const out = await notifiers.get('slack')!.send(ctx, { url: `${srv.url}/services/T/B/x` }, MSG)
    expect(out).toEqual({})
    expect(srv.requests[0].method).toBe('POST')
    expect(srv.requests[0].headers['content-type']).toBe('application/json')
    expect(body()).toEqual({
      text: 'Telvia : Pic de mentions négatives',
      blocks: [
        {
          type: 'header',
          text: { type: 'plain_text', text: 'Telvia : Pic de mentions négatives', emoji: true },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: 'Pic de mentions négatives. 42 en 30 min (≈ 3 attendues) depuis le 10 mars.\nTermes fréquents : panne, réseau &lt;b&gt;',
          },
        },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Pic*\n42 en 30 min' },
            { type: 'mrkdwn', text: '*Attendu*\n3' },
          ],
        },
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              text: { type: 'plain_text', text: 'Ouvrir l’alerte' },
              url: 'https://vigie.example.com/alerts/7',
            },
          ],
        },
      ],
    })
  })

  it('teams: a message activity carrying an Adaptive Card (Workflows)', async () => {
    srv.route('/workflows/x', { status: 202 })
    await notifiers.get('teams')!.send(ctx, { url: `${srv.url}/workflows/x` }, MSG)
    expect(body()).toEqual({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          contentUrl: null,
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            body: [
              {
                type: 'TextBlock',
                text: 'Telvia : Pic de mentions négatives',
                weight: 'Bolder',
                size: 'Medium',
                color: 'Attention',
                wrap: true,
              },
              { type: 'TextBlock', text: MSG.text, wrap: true },
              {
                type: 'FactSet',
                facts: [
                  { title: 'Pic', value: '42 en 30 min' },
                  { title: 'Attendu', value: '3' },
                ],
              },
            ],
            actions: [
              {
                type: 'Action.OpenUrl',
                title: 'Ouvrir l’alerte',
                url: 'https://vigie.example.com/alerts/7',
              },
            ],
          },
        },
      ],
    })
  })

  it('mattermost: markdown text and one attachment, optional channel and username', async () => {
    srv.route('/hooks/abc', { status: 200, body: 'ok' })
    await notifiers
      .get('mattermost')!
      .send(ctx, { url: `${srv.url}/hooks/abc`, channel: 'veille', username: 'Vigie' }, MSG)
    expect(body()).toEqual({
      channel: 'veille',
      username: 'Vigie',
      text: '**Telvia : Pic de mentions négatives**',
      attachments: [
        {
          fallback: 'Telvia : Pic de mentions négatives',
          color: '#c62828',
          title: 'Ouvrir l’alerte',
          title_link: 'https://vigie.example.com/alerts/7',
          text: MSG.text,
          fields: [
            { short: true, title: 'Pic', value: '42 en 30 min' },
            { short: true, title: 'Attendu', value: '3' },
          ],
        },
      ],
    })
  })

  it('discord: an embed posted with wait=true, then edited in place on acknowledgement', async () => {
    srv.route('/api/webhooks/1/tok', {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: '998877', channel_id: '5' }),
    })
    srv.route('/api/webhooks/1/tok/messages/998877', {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: '998877' }),
    })
    const d = notifiers.get('discord')!
    const cfg = { url: `${srv.url}/api/webhooks/1/tok` }
    const out = await d.send(ctx, cfg, MSG)
    expect(out).toEqual({ ref: { messageId: '998877' } })
    expect(srv.requests[0].url).toBe('/api/webhooks/1/tok?wait=true')
    expect(body()).toEqual({
      content: '',
      embeds: [
        {
          title: 'Telvia : Pic de mentions négatives',
          url: 'https://vigie.example.com/alerts/7',
          description: MSG.text,
          color: 0xc62828,
          fields: [
            { name: 'Pic', value: '42 en 30 min', inline: true },
            { name: 'Attendu', value: '3', inline: true },
          ],
        },
      ],
      allowed_mentions: { parse: [] },
    })
    const ack: NotifyMessage = {
      ...MSG,
      event: 'acknowledged',
      title: 'Telvia : prise en charge',
      tone: 'warning',
    }
    expect(await d.send(ctx, cfg, ack, out.ref)).toEqual({ ref: { messageId: '998877' } })
    expect(srv.requests[1].method).toBe('PATCH')
    expect(srv.requests[1].url).toBe('/api/webhooks/1/tok/messages/998877')
    expect(body(1).embeds[0]).toMatchObject({ title: 'Telvia : prise en charge', color: 0xef6c00 })
  })

  it('discord: a deleted message is re-posted instead of edited', async () => {
    srv.route('/api/webhooks/1/tok/messages/1', {
      status: 404,
      body: '{"message":"Unknown Message"}',
    })
    srv.route('/api/webhooks/1/tok', { status: 200, body: JSON.stringify({ id: '2' }) })
    const out = await notifiers
      .get('discord')!
      .send(
        ctx,
        { url: `${srv.url}/api/webhooks/1/tok` },
        { ...MSG, event: 'resolved' },
        { messageId: '1' },
      )
    expect(out).toEqual({ ref: { messageId: '2' } })
    expect(srv.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'PATCH /api/webhooks/1/tok/messages/1',
      'POST /api/webhooks/1/tok?wait=true',
    ])
  })

  it('google chat: text + cardsV2, one thread per alert, requestId for idempotency', async () => {
    srv.route('/v1/spaces/AAA/messages', {
      status: 200,
      body: JSON.stringify({
        name: 'spaces/AAA/messages/m1',
        thread: { name: 'spaces/AAA/threads/t1' },
      }),
    })
    const out = await notifiers
      .get('google-chat')!
      .send(ctx, { url: `${srv.url}/v1/spaces/AAA/messages?key=K&token=T` }, MSG)
    expect(out).toEqual({
      ref: { name: 'spaces/AAA/messages/m1', thread: 'spaces/AAA/threads/t1' },
    })
    const q = new URL(srv.requests[0].url, 'http://x').searchParams
    expect(Object.fromEntries(q)).toEqual({
      key: 'K',
      token: 'T',
      threadKey: 'vigie-alert-7',
      messageReplyOption: 'REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD',
      requestId: 'vigie-a7-c2-opened',
    })
    expect(body()).toEqual({
      text: 'Telvia : Pic de mentions négatives',
      cardsV2: [
        {
          cardId: 'vigie-alert',
          card: {
            header: { title: 'Telvia : Pic de mentions négatives', subtitle: 'Vigie' },
            sections: [
              {
                widgets: [
                  // a term is untrusted text: Google Chat would render its markup
                  { textParagraph: { text: MSG.text.replace('<b>', '&lt;b&gt;') } },
                  { decoratedText: { topLabel: 'Pic', text: '42 en 30 min' } },
                  { decoratedText: { topLabel: 'Attendu', text: '3' } },
                  {
                    buttonList: {
                      buttons: [
                        {
                          text: 'Ouvrir l’alerte',
                          onClick: { openLink: { url: 'https://vigie.example.com/alerts/7' } },
                        },
                      ],
                    },
                  },
                ],
              },
            ],
          },
        },
      ],
    })
  })

  it('webhook: JSON body signed with HMAC-SHA256 over "<timestamp>.<body>"', async () => {
    srv.route('/hook', { status: 204 })
    const secret = 'a-very-long-shared-secret'
    await notifiers.get('webhook')!.send(ctx, { url: `${srv.url}/hook`, secret }, MSG)
    const r = srv.requests[0]
    const ts = String(NOW.getTime() / 1000)
    expect(r.headers['x-vigie-timestamp']).toBe(ts)
    expect(r.headers['x-vigie-event']).toBe('opened')
    expect(r.headers['idempotency-key']).toBe('vigie-a7-c2-opened')
    // What a receiver does (server/notifiers/README.md): recompute over the raw body.
    const expected = `sha256=${createHmac('sha256', secret).update(`${ts}.${r.body}`).digest('hex')}`
    expect(r.headers['x-vigie-signature']).toBe(expected)
    expect(JSON.parse(r.body)).toEqual({
      event: 'opened',
      title: MSG.title,
      text: MSG.text,
      link: MSG.link,
      lang: 'fr',
      fields: MSG.fields,
      alert: MSG.alert,
    })
  })
  it('the verification snippet of server/notifiers/README.md accepts what the webhook sends, and only that', async () => {
    // Run the README's code itself, so a receiver copying it gets a snippet that works.
    const readme = readFileSync(
      new URL('../../server/notifiers/README.md', import.meta.url),
      'utf8',
    )
    const dir = mkdtempSync(join(tmpdir(), 'vigie-snippet-'))
    try {
      writeFileSync(join(dir, 'verify.mjs'), /```js\n([\s\S]*?)```/.exec(readme)![1])
      const { verifyVigie } = (await import(pathToFileURL(join(dir, 'verify.mjs')).href)) as {
        verifyVigie: (s: string, h: Record<string, unknown>, b: string) => boolean
      }
      srv.route('/hook', { status: 204 })
      const secret = 'a-very-long-shared-secret'
      // the snippet rejects old timestamps against the real clock
      const live = { ...ctx, now: () => new Date() }
      await notifiers.get('webhook')!.send(live, { url: `${srv.url}/hook`, secret }, MSG)
      const { headers, body } = srv.requests[0]
      expect(verifyVigie(secret, headers, body)).toBe(true)
      expect(verifyVigie('another-secret-entirely', headers, body)).toBe(false)
      expect(verifyVigie(secret, headers, body.replace('"peak_value":42', '"peak_value":43'))).toBe(
        false,
      )
      expect(verifyVigie(secret, { ...headers, 'x-vigie-signature': undefined }, body)).toBe(false)
      const old = String(Math.floor(Date.now() / 1000) - 600)
      const replayed = {
        ...headers,
        'x-vigie-timestamp': old,
        'x-vigie-signature': signWebhook(secret, old, body),
      }
      expect(verifyVigie(secret, replayed, body)).toBe(false)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('failures', () => {
  const send = (status: number, headers: Record<string, string> = {}, path = '/h') => {
    srv.route(path, { status, headers, body: `{"error":"status ${status}"}` })
    return notifiers.get('slack')!.send(ctx, { url: `${srv.url}${path}` }, MSG)
  }
  const caught = async (p: Promise<unknown>) => {
    try {
      await p
    } catch (err) {
      return err as NotifierError
    }
    throw new Error('expected a failure')
  }

  it('410 is permanent, with a readable reason and no secret path', async () => {
    const e = await caught(send(410, {}, '/services/SECRET'))
    expect(e).toBeInstanceOf(NotifierError)
    expect(e.opts).toMatchObject({ status: 410, permanent: true })
    expect(e.message).toMatch(/^slack: HTTP 410 from 127\.0\.0\.1:\d+ \(the webhook was deleted/)
    expect(e.message).not.toContain('SECRET')
  })
  it('400 (payload rejected) is permanent', async () => {
    expect((await caught(send(400))).opts.permanent).toBe(true)
  })
  it('429 carries Retry-After', async () => {
    const e = await caught(send(429, { 'retry-after': '120' }))
    expect(e.opts).toEqual({ status: 429, retryAfterMs: 120_000 })
  })
  it('5xx is transient', async () => {
    const e = await caught(send(503))
    expect(e.opts).toEqual({ status: 503 })
    expect(e.message).toContain('{"error":"status 503"}')
  })
  it.each([301, 302, 303, 307, 308])(
    'a %s is not followed: permanent, saying where it points but not its secret path',
    async (status) => {
      srv.route('/final/SECRET', { status: 200, body: 'ok' })
      const e = await caught(send(status, { location: `${srv.url}/final/SECRET` }))
      expect(e.opts).toEqual({ status, permanent: true })
      expect(e.message).toBe(
        `slack: the webhook answered ${status} (redirect to ${srv.url}/…); use the final address`,
      )
      expect(srv.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /h'])
    },
  )
  it('a redirect to https on the same address names the scheme the person must use', async () => {
    const e = await caught(send(301, { location: 'https://hooks.example.com/' }))
    expect(e.message).toBe(
      'slack: the webhook answered 301 (redirect to https://hooks.example.com/); use the final address',
    )
  })
  it('a 2xx with an answer over 256 KB is sent; a ref beyond what is read is just not kept', async () => {
    const big = JSON.stringify({ padding: 'x'.repeat(300 * 1024), id: '42', name: 'spaces/m/1' })
    srv.route('*', { status: 200, headers: { 'content-type': 'application/json' }, body: big })
    const at = (path: string) => ({ url: `${srv.url}${path}` })
    await expect(notifiers.get('slack')!.send(ctx, at('/slack'), MSG)).resolves.toEqual({})
    await expect(notifiers.get('discord')!.send(ctx, at('/discord'), MSG)).resolves.toEqual({})
    await expect(notifiers.get('google-chat')!.send(ctx, at('/chat'), MSG)).resolves.toEqual({})
    srv.route('*', { status: 200, body: 'not json' })
    await expect(notifiers.get('discord')!.send(ctx, at('/discord'), MSG)).resolves.toEqual({})
  })
  it('a receiver that is down is transient', async () => {
    const url = srv.url
    await srv.close()
    const e = await caught(notifiers.get('teams')!.send(ctx, { url: `${url}/x` }, MSG))
    expect(e.opts.permanent).toBeFalsy()
    expect(e.message).toMatch(/^teams: cannot reach 127\.0\.0\.1/)
    srv = await startFixtureServer()
  })
})

describe('config schemas', () => {
  it('are strict and reject non-http URLs and short secrets', () => {
    expect(notifiers.get('slack')!.schema.safeParse({ url: 'ftp://x' }).success).toBe(false)
    expect(
      notifiers.get('slack')!.schema.safeParse({ url: 'https://h/x', colour: 'red' }).success,
    ).toBe(false)
    expect(
      notifiers.get('webhook')!.schema.safeParse({ url: 'https://h', secret: 'short' }).success,
    ).toBe(false)
    expect([...notifiers.keys()]).toEqual([
      'slack',
      'teams',
      'mattermost',
      'discord',
      'google-chat',
      'webhook',
    ])
  })
})

describe('untrusted names in chat markup', () => {
  it.each([
    ['@here', '@\u200bhere'],
    [
      'Globex *gras* _it_ ~x~ `c` [l](u) | t',
      'Globex \\*gras\\* \\_it\\_ \\~x\\~ \\`c\\` \\[l\\](u) \\| t',
    ],
    ['# titre\n> cite', '\\# titre\n\\> cite'],
    ['R&D (Lyon) 3 < 4', 'R&D (Lyon) 3 < 4'],
  ])('markdown: %j', (raw, shown) => expect(markdownText(raw)).toBe(shown))

  it.each([
    ['<users/all>', '&lt;users/all&gt;'],
    ['Réseaux <i>sociaux</i> & co', 'Réseaux &lt;i&gt;sociaux&lt;/i&gt; &amp; co'],
  ])('google chat: %j', (raw, shown) => expect(escapeMarkup(raw)).toBe(shown))

  it.each([
    ['Globex *gras* _it_ [l](u)', 'Globex \\*gras\\* \\_it\\_ \\[l\\](u)'],
    ['- point\n1. un\n  + deux', '\\- point\n1\\. un\n  \\+ deux'],
    ['R&D -3 < 4 @here 2.5', 'R&D -3 < 4 @here 2.5'],
  ])('teams: %j', (raw, shown) => expect(teamsText(raw)).toBe(shown))

  it('a source named "*x*" formats nothing on a Teams card', () => {
    const m = { ...MSG, title: 'Pic — *Globex*', fields: [{ label: 'Sources', value: '_y_ (3)' }] }
    const card = (
      teamsPayload(m) as { attachments: { content: { body: Record<string, unknown>[] } }[] }
    ).attachments[0].content.body
    expect(card[0].text).toBe('Pic — \\*Globex\\*')
    expect(card[2]).toEqual({
      type: 'FactSet',
      facts: [{ title: 'Sources', value: '\\_y\\_ (3)' }],
    })
  })

  it('a source named "@channel *x*" pages nobody on Mattermost and formats nothing', () => {
    const m = { ...MSG, fields: [{ label: 'Sources', value: '@channel *x* (3)' }] }
    const p = mattermostPayload(m) as { attachments: { fields: { value: string }[] }[] }
    expect(p.attachments[0].fields[0].value).toBe('@\u200bchannel \\*x\\* (3)')
  })
})
