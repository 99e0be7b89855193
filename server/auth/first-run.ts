// First run has no default password: while no user exists, each start-up issues a one-time setup
// link (stored hashed, single use, expiring) that creates the first administrator.
import { createSetupToken } from '../../db/tokens'
import { countUsers } from '../../db/users'
import type { AppContext } from '../context'

export async function firstRunSetupPath(ctx: AppContext): Promise<string | undefined> {
  if ((await countUsers(ctx.db)) > 0) return undefined
  return `/setup/${await createSetupToken(ctx.db, ctx.now())}`
}
