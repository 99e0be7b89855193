// Text from outside Vigie's templates (brand and source names, people's names, mention terms) put
// into chat formats that would interpret it: an ingest token holder naming a source "@here" must
// not page a Mattermost channel, nor "<users/all>" a Google Chat space. Slack and Google Chat
// only need &, < and > escaped (escapeMarkup, server/text.ts); markdown needs more.

/**
 * Markdown (Mattermost, Discord): emphasis, code, link and table characters escaped, a heading or
 * quote at a line's start too, and @mentions made inert (a zero-width space after the @).
 */
export function markdownText(s: string): string {
  return s
    .replace(/[\\`*_~[\]|]/g, '\\$&')
    .replace(/^([#>])/gm, '\\$1')
    .replace(/@/g, '@\u200b')
}
