// Text from outside Vigie's templates (brand and source names, people's names, mention terms) put
// into chat formats that would interpret it: an ingest token holder naming a source "@here" must
// not page a Mattermost channel, nor "<users/all>" a Google Chat space. Slack and Google Chat
// only need &, < and > escaped (escapeMarkup, server/text.ts); markdown needs more. Teams cards
// cannot @mention anyone from text, but their markdown subset still formats it.

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

/**
 * Adaptive Card TextBlock / FactSet markdown (Teams): bold, italic, links and lists are all it
 * reads, so only their characters are escaped, and a list marker at a line's start. Teams clients
 * honour the backslash since 2022 (MicrosoftDocs/msteams-docs#5793).
 */
export function teamsText(s: string): string {
  return s
    .replace(/[\\*_[\]]/g, '\\$&')
    .replace(/^(\s*)([-+])(?=\s)/gm, '$1\\$2')
    .replace(/^(\s*\d+)\.(?=\s)/gm, '$1\\.')
}
