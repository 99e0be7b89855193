// A chat channel for tests: a signed webhook in French that routes every brand and alert kind,
// so a test spells out only what it is about (its receiver's URL, a brand filter, another kind).
import type { ChannelInput } from '../../db/channels'

export function channelInput(url: string, over: Partial<ChannelInput> = {}): ChannelInput {
  return {
    name: 'Veille',
    kind: 'webhook',
    config: { url, secret: 'a-very-long-shared-secret' },
    lang: 'fr',
    brandIds: [],
    alertKinds: [],
    quietHours: null,
    enabled: true,
    ...over,
  }
}
