// Digest tables. Not shipped yet: filled in by the capability that owns it.
import type { Kysely } from 'kysely'

export async function up(_db: Kysely<any>, _dialect: 'sqlite' | 'postgres'): Promise<void> {}
