// Registry of source kinds: one import and one line per collector. A duplicate id is a bug and
// fails at start-up rather than silently shadowing another collector.
import type { Collector } from './types'
import push from './push'
import rss from './rss'
import hackerNews from './hacker-news'
import github from './github'
import stackExchange from './stack-exchange'
import lobsters from './lobsters'
import gdelt from './gdelt'
import googleAlerts from './google-alerts'
import googleNews from './google-news'
import appStore from './app-store'
import reddit from './reddit'
import lemmy from './lemmy'
import mastodon from './mastodon'
import youtube from './youtube'
import bluesky from './bluesky'

const all: Collector[] = [
  rss,
  push,
  hackerNews,
  github,
  stackExchange,
  lobsters,
  gdelt,
  googleAlerts,
  googleNews,
  appStore,
  reddit,
  lemmy,
  mastodon,
  youtube,
  bluesky,
]

export const collectors = new Map<string, Collector>()
for (const c of all) {
  if (collectors.has(c.id)) throw new Error(`duplicate collector id: ${c.id}`)
  collectors.set(c.id, c)
}

export function getCollector(id: string): Collector | undefined {
  return collectors.get(id)
}

/** Whether a source runs as a long-lived stream (listen) rather than being polled (collect). */
export function isStreaming(source: { kind: string; config: string }): boolean {
  const c = collectors.get(source.kind)
  if (!c?.listen) return false
  try {
    const parsed = c.schema.safeParse(JSON.parse(source.config))
    return parsed.success ? (c.streams?.(parsed.data) ?? true) : false
  } catch {
    return false
  }
}
