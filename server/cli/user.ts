// `npm run user -- <command>`: manage accounts from the shell (first admin, lost 2FA device,
// scripting API tokens). `token create` prints the token alone on its last line for scripts.
//   add [--admin | --role admin|responder|viewer] EMAIL [--name NAME]   (prints a first password)
//   list | disable EMAIL | enable EMAIL | role EMAIL ROLE | password EMAIL | reset-2fa EMAIL
//   token create EMAIL --scope read|ingest [--name NAME] | token list EMAIL | token revoke ID
import { pathToFileURL } from 'node:url'
import { openDatabase, type Db } from '../../db'
import { appendAudit } from '../../db/audit'
import { deleteUserSessions } from '../../db/sessions'
import { createApiToken, listApiTokens } from '../../db/tokens'
import {
  getUserByEmail,
  insertUser,
  listUsers,
  ROLES,
  setUserDisabled,
  updateUser,
} from '../../db/users'
import { hashPassword } from '../auth/passwords'
import { TOKEN_SCOPES } from '../auth/policy'
import { randomToken } from '../auth/tokens'
import { ConfigError, parseConfig } from '../config'
import type { Role } from '../context'

export class UsageError extends Error {}

const USAGE = `usage: npm run user -- <command>
  add [--admin | --role admin|responder|viewer] EMAIL [--name NAME]
  list
  disable EMAIL | enable EMAIL
  role EMAIL admin|responder|viewer
  password EMAIL          (sets and prints a new random password)
  reset-2fa EMAIL         (removes two-factor; the user enrols again)
  token create EMAIL --scope read|ingest [--name NAME]
  token list EMAIL
  token revoke ID`

function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(name)
  if (i < 0) return undefined
  const v = args[i + 1]
  if (!v || v.startsWith('--')) throw new UsageError(`${name} needs a value`)
  args.splice(i, 2)
  return v
}

function bool(args: string[], name: string): boolean {
  const i = args.indexOf(name)
  if (i < 0) return false
  args.splice(i, 1)
  return true
}

async function mustUser(db: Db, email: string | undefined) {
  if (!email) throw new UsageError('an e-mail address is required')
  const u = await getUserByEmail(db, email)
  if (!u) throw new UsageError(`no user ${email}`)
  return u
}

/** Runs one command; returns the lines to print. */
export async function runUserCli(db: Db, argv: string[], now: Date): Promise<string[]> {
  const args = [...argv]
  const cmd = args.shift()
  const audit = (action: string, detail: Record<string, unknown>) =>
    appendAudit(db, { userId: null, actor: 'cli', action, outcome: 'ok', detail }, now)
  switch (cmd) {
    case 'add': {
      const admin = bool(args, '--admin')
      const role = (flag(args, '--role') ?? (admin ? 'admin' : 'viewer')) as Role
      if (!ROLES.includes(role)) throw new UsageError(`unknown role "${role}"`)
      const name = flag(args, '--name')
      const email = args.shift()
      if (!email) throw new UsageError('add needs an e-mail address')
      if (await getUserByEmail(db, email)) throw new UsageError(`${email} already exists`)
      const password = randomToken(12)
      const u = await insertUser(
        db,
        { email, name, role, passwordHash: await hashPassword(password) },
        now,
      )
      await audit('users.create', { via: 'cli', userId: u.id, role })
      return [
        `created ${u.email} (${role})`,
        'first password (shown once; change it under Account after signing in):',
        password,
      ]
    }
    case 'list': {
      const users = await listUsers(db)
      if (!users.length) return ['no users']
      return users.map(
        (u) =>
          `${u.email}\t${u.role}${u.disabled ? '\tdisabled' : ''}${u.totp_enabled ? '\t2fa' : ''}`,
      )
    }
    case 'disable':
    case 'enable': {
      const u = await mustUser(db, args.shift())
      await setUserDisabled(db, u.id, cmd === 'disable', now)
      await audit(`users.${cmd}`, { via: 'cli', userId: u.id })
      return [
        cmd === 'disable'
          ? `${u.email} disabled; sessions and API tokens ended`
          : `${u.email} enabled`,
      ]
    }
    case 'role': {
      const u = await mustUser(db, args.shift())
      const role = args.shift() as Role
      if (!ROLES.includes(role)) throw new UsageError(`role must be one of ${ROLES.join(', ')}`)
      await updateUser(db, u.id, { role }, now)
      await audit('users.role', { via: 'cli', userId: u.id, role })
      return [`${u.email} is now ${role}`]
    }
    case 'password': {
      const u = await mustUser(db, args.shift())
      const password = randomToken(12)
      await updateUser(db, u.id, { password_hash: await hashPassword(password) }, now)
      await deleteUserSessions(db, u.id)
      await audit('users.password', { via: 'cli', userId: u.id })
      return [`new password for ${u.email} (shown once):`, password]
    }
    case 'reset-2fa': {
      const u = await mustUser(db, args.shift())
      await updateUser(db, u.id, { totp_enabled: 0, totp_secret: null, recovery_codes: '[]' }, now)
      await audit('users.reset-2fa', { via: 'cli', userId: u.id })
      return [
        u.totp_enabled
          ? `two-factor removed for ${u.email}`
          : `${u.email} had no two-factor set up`,
      ]
    }
    case 'token': {
      const sub = args.shift()
      if (sub === 'create') {
        const scope = flag(args, '--scope') ?? 'read'
        if (!TOKEN_SCOPES.includes(scope as 'read'))
          throw new UsageError(`--scope must be one of ${TOKEN_SCOPES.join(', ')}`)
        const name = flag(args, '--name') ?? `cli ${scope}`
        const u = await mustUser(db, args.shift())
        if (u.disabled) throw new UsageError(`${u.email} is disabled`)
        // as the account page: a viewer's ingest token would be refused at every push
        if (scope === 'ingest' && u.role === 'viewer')
          throw new UsageError(
            `an ingest token needs the responder role: ${u.email} is a viewer (npm run user -- role ${u.email} responder)`,
          )
        const { token, row } = await createApiToken(db, u.id, { name, scope }, now)
        await audit('tokens.create', { via: 'cli', userId: u.id, tokenId: row.id, scope })
        return [`token #${row.id} "${row.name}" (${scope}) for ${u.email}; shown once:`, token]
      }
      if (sub === 'list') {
        const u = await mustUser(db, args.shift())
        const rows = await listApiTokens(db, u.id)
        return rows.length
          ? rows.map(
              (t) =>
                `#${t.id}\t${t.name}\t${t.scope}\t${t.prefix}…\tlast used ${t.last_used_at ?? 'never'}${t.revoked_at ? '\trevoked' : ''}`,
            )
          : ['no tokens']
      }
      if (sub === 'revoke') {
        const id = Number(args.shift())
        if (!Number.isInteger(id)) throw new UsageError('token revoke needs a token id')
        const r = await db
          .updateTable('api_tokens')
          .set({ revoked_at: now.toISOString() })
          .where('id', '=', id)
          .where('revoked_at', 'is', null)
          .executeTakeFirst()
        if (!Number(r.numUpdatedRows)) throw new UsageError(`no active token #${id}`)
        await audit('tokens.revoke', { via: 'cli', tokenId: id })
        return [`token #${id} revoked`]
      }
      throw new UsageError(USAGE)
    }
    default:
      throw new UsageError(USAGE)
  }
}

async function main() {
  // before any database is opened (or created, on a first run)
  if (['help', '--help', '-h'].includes(process.argv[2] ?? '')) {
    console.log(USAGE)
    return
  }
  let config
  try {
    config = parseConfig(process.env)
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`vigie user: ${err.message}`)
      process.exit(2)
    }
    throw err
  }
  const opened = await openDatabase(config.database)
  try {
    for (const line of await runUserCli(opened.db, process.argv.slice(2), new Date()))
      console.log(line)
  } catch (err) {
    console.error(err instanceof UsageError ? err.message : `vigie user: ${(err as Error).message}`)
    process.exitCode = 2
  } finally {
    await opened.close()
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) void main()
