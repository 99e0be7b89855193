// A poll's warning in the page's language. Collectors write their warnings in technical English,
// like their errors and the logs ("rss: kept the first 1000 of 1500 items"; several joined by
// "; "); the ones they write are recognised here and said in French or English words, anything
// else is shown as written.
import type { Dict } from './i18n/fr'
import type { ViewCtx } from './view-context'

const PATTERNS: [RegExp, keyof Dict, (m: RegExpExecArray) => Record<string, string | number>][] = [
  [
    /^kept the first (\d+) of (\d+) items$/,
    'warning.capped',
    (m) => ({ kept: m[1], listed: m[2] }),
  ],
  [/^(\d+) unreadable items? left out$/, 'warning.skipped', (m) => ({ count: Number(m[1]) })],
  [
    /^(\S+) does not allow full-text search without a logged-in user/,
    'warning.searchNeedsToken',
    (m) => ({ host: m[1] }),
  ],
  [
    /^only (\d+) of (\d+) daily requests left( \(an app key)?/,
    'warning.quotaLow',
    (m) => ({ left: m[1], max: m[2] }),
  ],
  [/^GitHub returned incomplete results/, 'warning.incomplete', () => ({})],
  [
    /^(\d+) of (\d+) daily API units spent$/,
    'warning.unitsSpent',
    (m) => ({ used: m[1], max: m[2] }),
  ],
]

export function warningText(v: Pick<ViewCtx, 't' | 'locale'>, warning: string): string {
  return warning
    .split('; ')
    .map((part) => {
      const message = part.replace(/^[\w-]+: /, '')
      for (const [re, key, vars] of PATTERNS) {
        const m = re.exec(message)
        if (m) return v.t(key, vars(m))
      }
      return part
    })
    .join(v.locale === 'fr' ? '\u202f; ' : '; ')
}
