// Digest recipients and sent digests (issue 7).
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface DigestTables {}
