// The notifier registry: one line per chat platform. Registering an id twice is a bug.
import type { Notifier } from './types'
import discord from './discord'
import googleChat from './google-chat'
import mattermost from './mattermost'
import slack from './slack'
import teams from './teams'
import webhook from './webhook'

export const notifiers = new Map<string, Notifier>()

function register(n: Notifier): void {
  if (notifiers.has(n.id)) throw new Error(`notifier "${n.id}" is registered twice`)
  notifiers.set(n.id, n)
}

register(slack)
register(teams)
register(mattermost)
register(discord)
register(googleChat)
register(webhook)
