// What a delivery's recorded error means for the person reading the channel or alert page, in
// their language: the notifier's own message (English, like the logs) stays as the technical
// detail. Classified from that message, which is the only thing a failed row keeps.

export type DeliveryProblem =
  | 'gone'
  | 'refused'
  | 'rate_limited'
  | 'down'
  | 'unreachable'
  | 'settings'
  | 'opening_lost'
  | 'gave_up'
  | 'other'

export function deliveryProblem(error: string): DeliveryProblem {
  if (error.startsWith('not sent: the alert')) return 'opening_lost'
  if (error.startsWith('gave up after')) return 'gave_up'
  if (/invalid settings|no notifier named/.test(error)) return 'settings'
  const status = Number(/HTTP (\d{3})/.exec(error)?.[1])
  if (status === 404 || status === 410) return 'gone'
  if (status === 401 || status === 403) return 'refused'
  if (status === 429) return 'rate_limited'
  if (status >= 500 || status === 408) return 'down'
  if (/cannot reach|no answer from|timed out|ECONN|ENOTFOUND|EAI_AGAIN/i.test(error))
    return 'unreachable'
  return 'other'
}
