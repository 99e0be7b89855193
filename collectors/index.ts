// Registry of source kinds: one import and one line per collector. A duplicate id is a bug and
// fails at start-up rather than silently shadowing another collector.
import type { Collector } from './types'
import rss from './rss'
import hackerNews from './hacker-news'
import github from './github'
import stackExchange from './stack-exchange'
import lobsters from './lobsters'
import gdelt from './gdelt'

const all: Collector[] = [rss, hackerNews, github, stackExchange, lobsters, gdelt]

export const collectors = new Map<string, Collector>()
for (const c of all) {
  if (collectors.has(c.id)) throw new Error(`duplicate collector id: ${c.id}`)
  collectors.set(c.id, c)
}

export function getCollector(id: string): Collector | undefined {
  return collectors.get(id)
}
