// Triage and mention history (dashboard, issue 6).
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface TriageTables {}
