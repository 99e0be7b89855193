// Spike alerts, chat channels and the delivery outbox (issue 5).
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface AlertTables {}
