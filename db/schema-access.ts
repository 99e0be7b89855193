// Users, sessions, tokens, audit log, answers and approvals (issue 8).
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface AccessTables {}
