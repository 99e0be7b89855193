// Which plain-language explanation a delivery's recorded error gets (views/delivery-error.ts).
import { describe, expect, it } from 'vitest'
import { deliveryProblem } from '../../views/delivery-error'

describe('deliveryProblem', () => {
  it.each([
    ['slack: HTTP 410 from hooks.slack.com (the webhook was deleted or revoked: …): gone', 'gone'],
    ['teams: HTTP 404 from x.example (the webhook was deleted or revoked: …): ', 'gone'],
    ['discord: HTTP 403 from discord.com (the webhook refuses this request: …)', 'refused'],
    ['webhook: HTTP 429 from 127.0.0.1:3501, rate limited: slow down', 'rate_limited'],
    ['mattermost: HTTP 503 from chat.example: maintenance', 'down'],
    ['slack: cannot reach 127.0.0.1:3502 (ECONNREFUSED)', 'unreachable'],
    ['google-chat: no answer from chat.googleapis.com within 15000 ms', 'unreachable'],
    ['webhook: invalid settings: url: Invalid URL', 'settings'],
    ['no notifier named "irc"', 'settings'],
    [
      "not sent: the alert's first message could not be delivered (slack: HTTP 410 …)",
      'opening_lost',
    ],
    ['gave up after 48 h: slack: HTTP 503 from hooks.slack.com: down', 'gave_up'],
    ['discord: the webhook did not return the posted message', 'other'],
  ])('%s → %s', (error, problem) => expect(deliveryProblem(error)).toBe(problem))
})
