// `npm run digest -- <command>`: the digest from the command line, on the database of the
// environment (DATABASE_URL, SMTP_URL, MAIL_FROM, BASE_URL, TZ as for `npm start`).
//   send    [--date YYYY-MM-DD] [--to EMAIL] [--lang fr|en] [--brand NAME|ID] [--weekly]
//           Without --to, or with --to naming a recipient: that period's digest through the same
//           ledger as the scheduler (running it twice sends nothing twice). --to any other
//           address: a test send, outside the ledger.
//   preview --date YYYY-MM-DD [--lang fr|en] [--brand NAME|ID] [--weekly] [--tz ZONE] [--text]
//           Writes the rendered HTML (or the text part) to stdout.
//   tick    One scheduler tick now: queues what is due (catch-up included) and sends it.
import { openDatabase } from '../../db'
import { getRecipientByEmail } from '../../db/digest'
import { renderDigestHtml, renderDigestText } from '../../views/email/digest'
import { ConfigError, parseConfig } from '../config'
import type { AppContext } from '../context'
import { buildDigest, loadDigestInput } from '../digest'
import { isDate, isTimeZone, addDays, localDate } from '../digest-period'
import { runDigestTick, sendPeriodNow, sendTestDigest } from '../digest-send'
import { createHttpClient } from '../../collectors/http'
import { createLogger } from '../log'
import { createMailer } from '../mailer'

const USAGE = `usage: npm run digest -- send [--date YYYY-MM-DD] [--to EMAIL] [--lang fr|en] [--brand NAME|ID] [--weekly]
       npm run digest -- preview --date YYYY-MM-DD [--lang fr|en] [--brand NAME|ID] [--weekly] [--tz ZONE] [--text]
       npm run digest -- tick`

class UsageError extends Error {}

export interface CliArgs {
  command: 'send' | 'preview' | 'tick'
  date?: string
  to?: string
  lang?: 'fr' | 'en'
  brand?: string
  weekly: boolean
  tz?: string
  text: boolean
}

export function parseArgs(argv: string[]): CliArgs {
  const [command, ...rest] = argv
  if (command !== 'send' && command !== 'preview' && command !== 'tick')
    throw new UsageError(command ? `unknown command "${command}"` : 'missing command')
  const a: CliArgs = { command, weekly: false, text: false }
  for (let i = 0; i < rest.length; i++) {
    const [flag, inline] = rest[i].split(/=(.*)/s, 2)
    const val = () => {
      const v = inline ?? rest[++i]
      if (v === undefined || v.startsWith('--')) throw new UsageError(`missing value for ${flag}`)
      return v
    }
    switch (flag) {
      case '--date': {
        const d = val()
        if (!isDate(d)) throw new UsageError(`--date "${d}" is not a day (YYYY-MM-DD)`)
        a.date = d
        break
      }
      case '--to':
        a.to = val().trim().toLowerCase()
        if (!/^[^\s@]+@[^\s@]+$/.test(a.to))
          throw new UsageError(`--to "${a.to}" is not an address`)
        break
      case '--lang': {
        const l = val()
        if (l !== 'fr' && l !== 'en') throw new UsageError(`--lang must be fr or en, got "${l}"`)
        a.lang = l
        break
      }
      case '--brand':
        a.brand = val()
        break
      case '--tz': {
        const z = val()
        if (!isTimeZone(z)) throw new UsageError(`--tz "${z}" is not a known IANA time zone`)
        a.tz = z
        break
      }
      case '--weekly':
        a.weekly = true
        break
      case '--text':
        a.text = true
        break
      default:
        throw new UsageError(`unknown option ${flag}`)
    }
  }
  return a
}

async function brandIds(ctx: AppContext, brand?: string): Promise<number[]> {
  if (!brand) return []
  const row = await ctx.db
    .selectFrom('brands')
    .select('id')
    .where(/^\d+$/.test(brand) ? 'id' : 'name', '=', /^\d+$/.test(brand) ? Number(brand) : brand)
    .executeTakeFirst()
  if (!row) throw new UsageError(`no brand "${brand}"`)
  return [row.id]
}

export async function runCli(
  argv: string[],
  env: Record<string, string | undefined>,
  out: (s: string) => void,
  now: () => Date = () => new Date(),
): Promise<number> {
  if (['help', '--help', '-h'].includes(argv[0] ?? '')) {
    out(`${USAGE}\n`)
    return 0
  }
  const args = parseArgs(argv)
  const config = parseConfig(env)
  const log = createLogger(env.LOG_LEVEL ? config.logLevel : 'warn')
  const opened = await openDatabase(config.database, { log })
  const ctx: AppContext = {
    db: opened.db,
    dialect: opened.dialect,
    config,
    log,
    now,
    http: createHttpClient({ now }),
  }
  const mailer = createMailer(config)
  try {
    if (args.command === 'preview') {
      const tz = args.tz ?? config.tz
      const digest = buildDigest(
        await loadDigestInput(ctx.db, {
          kind: args.weekly ? 'weekly' : 'daily',
          date: args.date ?? addDays(localDate(now(), tz), -1),
          timezone: tz,
          lang: args.lang ?? 'fr',
          brandIds: await brandIds(ctx, args.brand),
          baseUrl: config.baseUrl,
        }),
      )
      const links = { manage: `${config.baseUrl}/settings/digest` }
      out(args.text ? renderDigestText(digest, links) : await renderDigestHtml(digest, links))
      return 0
    }
    if (args.command === 'tick') {
      const r = await runDigestTick(ctx, mailer)
      out(`digest tick: ${r.queued} queued, ${r.sent} sent, ${r.failed} failed\n`)
      return r.failed ? 1 : 0
    }
    const recipient = args.to ? await getRecipientByEmail(ctx.db, args.to) : undefined
    if (args.to && !recipient) {
      await sendTestDigest(ctx, mailer, {
        to: args.to,
        lang: args.lang ?? 'fr',
        brandIds: await brandIds(ctx, args.brand),
        kind: args.weekly ? 'weekly' : 'daily',
        date: args.date,
      })
      out(`test digest sent to ${args.to}\n`)
      return 0
    }
    const results = await sendPeriodNow(ctx, mailer, {
      date: args.date,
      recipientId: recipient?.id,
    })
    if (!results.length) out('no active recipient\n')
    for (const r of results)
      out(
        `${r.email} ${r.period}: ${r.outcome}${r.error && r.outcome !== 'sent' ? ` (${r.error})` : ''}\n`,
      )
    return results.some((r) => r.outcome === 'failed') ? 1 : 0
  } finally {
    mailer.close()
    await opened.close()
  }
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, '/'))
if (isMain) {
  runCli(process.argv.slice(2), process.env, (s) => process.stdout.write(s))
    .then((code) => process.exit(code))
    .catch((err) => {
      if (err instanceof UsageError || err instanceof ConfigError) {
        process.stderr.write(`digest: ${err.message}\n${USAGE}\n`)
        process.exit(2)
      }
      process.stderr.write(`digest: ${(err as Error).message ?? err}\n`)
      process.exit(1)
    })
}
