// Assembles a running Vigie from a Config: database, YAML config, context, poller, scheduler and
// HTTP server. main.ts and demo.ts both use it; tests call it with port 0.
import { serve, type ServerType } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import { createHttpClient } from '../collectors/http'
import { MigrationError, openDatabase, type OpenDb } from '../db'
import { exclusionHasher } from '../db/exclusions'
import { checkStoredSecrets } from '../db/secret-check'
import { appendAudit } from '../db/audit'
import { mergeAssignees } from '../db/mentions'
import { runDetection } from './alerts'
import { createApp } from './app'
import { runDigestTick } from './digest-send'
import type { Config } from './config'
import { applyConfigPlan, ConfigFileError, readConfigFile } from './config-file'
import type { AppContext } from './context'
import { alertNotifier, deliverDue } from './deliver'
import { createLogger, type Logger } from './log'
import { mailerFor } from './mailer'
import { Poller } from './poller'
import { runJob, Scheduler, type Job } from './scheduler'
import { StreamManager } from './streams'
import { retentionJob } from './retention'
import { loadSecretKey, SecretKeyError, useSecretKey } from './secrets'
import { guardedFetch, urlGuard } from './ssrf'
import { firstRunSetupPath } from './auth/first-run'

// how long a request in flight may take to finish once Vigie is asked to stop
const DRAIN_MS = 10_000

export interface Running {
  ctx: AppContext
  url: string
  /** The one-time link creating the first administrator, while no user exists. */
  setupUrl?: string
  poller: Poller
  stop(): Promise<void>
}

export async function start(
  config: Config,
  opts: {
    log?: Logger
    now?: () => Date
    /** Background jobs: all (default); none (tests); or 'offline', everything that needs no
     * network of its own — detection, the outbox, the digest, retention — but no polling and no
     * streams (the demo: its alerts reach the channels, nothing is fetched) */
    schedule?: boolean | 'offline'
    fetch?: typeof fetch
    /** Where VIGIE_SECRET_KEY is read from (default: process.env). */
    env?: Record<string, string | undefined>
  } = {},
): Promise<Running> {
  const log = opts.log ?? createLogger(config.logLevel)
  const now = opts.now ?? (() => new Date())
  // A broken YAML file stops the start before anything is created (no database, no key file).
  const plan = config.configFile ? readConfigFile(config.configFile, config.tz) : undefined
  // Before any source is read or written: secret fields are encrypted with this key.
  useSecretKey(loadSecretKey(config, opts.env ?? process.env, log))
  const opened: OpenDb = await openDatabase(config.database, { log })
  // A database restored without its key file stops here, not at the first batch: its exclusion
  // list could not be matched and excluded accounts would be stored.
  // So does one whose channels' and sources' secrets this key cannot read.
  await exclusionHasher(opened.db)
    .then(() => checkStoredSecrets(opened.db))
    .catch(async (err) => {
      await opened.close()
      throw err
    })
  const ctx: AppContext = {
    db: opened.db,
    dialect: opened.dialect,
    config,
    log,
    now,
    http: createHttpClient({
      fetch: opts.fetch ?? (config.allowPrivateUrls ? undefined : guardedFetch()),
      now,
      checkUrl: urlGuard(config.allowPrivateUrls),
    }),
  }
  // After each ingest batch: detect on the brands that got new mentions and queue the messages;
  // the outbox job sends them within 15 s, so a slow chat service never holds up polling.
  const notify = alertNotifier()
  const onNewMentions = async (c: AppContext, brandIds: number[]) => {
    await runDetection(c, { brandIds, notify })
  }
  const poller = new Poller(ctx, { onNewMentions })
  const streams = new StreamManager(ctx, { onNewMentions })
  const scheduler = new Scheduler(ctx, poller, streams)
  // Listen before the YAML file changes anything: a second instance started by mistake (the port
  // is taken) must not write to the shared database on its way out.
  const app = createApp(ctx, poller)
  let server: ServerType
  try {
    server = await new Promise((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () =>
        resolve(s),
      )
      s.once('error', reject)
    })
  } catch (err) {
    await opened.close()
    throw err
  }
  try {
    if (plan) {
      const r = await applyConfigPlan(ctx.db, plan, now())
      log.info('config file applied', { file: config.configFile, ...r })
      // what the file changed is on the audit page like any other change (not a start that
      // found everything as it was)
      const changed = Object.values(r).some((x) => x.created || ('updated' in x && x.updated))
      if (changed)
        await appendAudit(
          ctx.db,
          {
            userId: null,
            actor: 'VIGIE_CONFIG',
            action: 'config.apply',
            outcome: 'ok',
            detail: { file: config.configFile, ...r },
          },
          now(),
        )
    }
  } catch (err) {
    await new Promise<void>((r) => server.close(() => r()))
    await opened.close()
    throw err
  }
  await mergeStoredAssignees(ctx)
  const setupPath = await firstRunSetupPath(ctx)
  const mailer = mailerFor(config)
  // A minute tick decides who is due (server/digest-send.ts says why); the first run at start is
  // the catch-up for a send time that passed while Vigie was down.
  const digestJob: Job = {
    name: 'digest',
    schedule: '30 * * * * *',
    run: (c) => (digestRun = runDigestTick(c, mailer)),
  }
  let digestRun: Promise<unknown> | undefined
  let catchUp: Promise<void> | undefined
  if (opts.schedule !== false) {
    const polling = opts.schedule !== 'offline'
    scheduler.start(
      [
        // On a schedule too: incidents end and alerts resolve while nothing new arrives.
        { name: 'detect', schedule: '30 */5 * * * *', run: (c) => runDetection(c, { notify }) },
        { name: 'deliver', schedule: '*/15 * * * * *', run: (c) => deliverDue(c) },
        digestJob,
        retentionJob,
      ],
      { polling },
    )
    catchUp = runJob(ctx, digestJob)
    if (polling) await streams.sync()
  }
  const { port } = server.address() as AddressInfo
  const host = config.host.includes(':') ? `[${config.host}]` : config.host
  const url = `http://${host}:${port}`
  log.info('Vigie is listening', { url })
  // Listening on every interface (HOST=0.0.0.0) gives links nobody can open unless BASE_URL says
  // what people type; the setup link, chat messages and e-mails all carry it.
  if (/^https?:\/\/(0\.0\.0\.0|\[::\])(:|\/|$)/.test(config.baseUrl))
    log.warn('set BASE_URL: links in the setup link, chat messages and e-mails would point here', {
      baseUrl: config.baseUrl,
      example: 'BASE_URL=https://vigie.example.com',
    })
  // BASE_URL is what people open; with an ephemeral port (tests) only the real address works.
  const setupUrl = setupPath && `${config.port === 0 ? url : config.baseUrl}${setupPath}`
  if (setupUrl)
    log.warn('no user yet: open the setup link to create the first administrator', { setupUrl })
  let stopping: Promise<void> | undefined
  return {
    ctx,
    url,
    setupUrl,
    poller,
    stop: () =>
      (stopping ??= (async () => {
        // No new connection from here; idle keep-alive ones close now, and a request in flight (a
        // push being uploaded, a page being answered) gets DRAIN_MS to finish before it is cut.
        const http = server as ServerType & { closeAllConnections?: () => void }
        const closed = new Promise<void>((r) => http.close(() => r()))
        const cut = setTimeout(() => http.closeAllConnections?.(), DRAIN_MS)
        await scheduler.stop() // no new polls, in-flight ones finish
        await catchUp
        await digestRun?.catch(() => {}) // a send in flight finishes before the DB closes
        mailer.close()
        await closed
        clearTimeout(cut)
        await opened.close()
      })()),
  }
}

/**
 * One line for what a person starting Vigie can fix (a file, a variable, a port, a database that
 * does not answer); undefined for a bug, which keeps its stack trace.
 */
export function startupProblem(err: unknown, config: Config): string | undefined {
  if (err instanceof ConfigFileError || err instanceof SecretKeyError) return err.message
  const e = err as NodeJS.ErrnoException & { hostname?: string }
  const where = `${config.host}:${config.port}`
  if (e.code === 'EADDRINUSE') return `${where} is already in use (set PORT or HOST)`
  if (e.syscall === 'listen' || (e.syscall === 'getaddrinfo' && e.hostname === config.host))
    return `cannot listen on ${where} (${e.code}): check HOST`
  if (err instanceof MigrationError) return `${err.message} (DATABASE_URL)`
  // the database file or its key file where Vigie may not write (a read-only volume, /proc, a
  // file owned by another user)
  if (/^SQLITE_(READONLY|CANTOPEN|PERM)/.test(String(e.code)))
    return `cannot write the database ${config.database.kind === 'sqlite' ? config.database.path : ''} (${e.code}): check the file and its directory may be written by this user (DATABASE_URL)`
  if (e.path && /^(EACCES|EPERM|EROFS|ENOENT|ENOTDIR)$/.test(String(e.code)))
    return `cannot write ${e.path} (${e.code}): check the directory exists and may be written by this user (DATABASE_URL${/\.key$/.test(e.path) ? ', or set VIGIE_SECRET_KEY' : ''})`
  return undefined
}

/**
 * Assignees stored before one person had one name ("julien" next to "Julien Bernard") are merged
 * into the team member's name at every start rather than by a migration: the rules (assigneeName)
 * and the team change, a frozen migration would apply today's once, and this is idempotent and
 * cheap (the assigned rows only, through migration 0006's partial index). A failure is logged and
 * the start goes on: the names stay as they were, nothing is lost.
 */
async function mergeStoredAssignees(ctx: AppContext): Promise<void> {
  try {
    const merged = await mergeAssignees(ctx.db, ctx.now())
    if (!merged.length) return
    const mentions = merged.reduce((n, m) => n + m.mentions, 0)
    ctx.log.info('assignees merged into team members’ names', { merged })
    await appendAudit(
      ctx.db,
      {
        userId: null,
        actor: 'Vigie',
        action: 'assignees.merge',
        outcome: 'ok',
        detail: { names: merged.length, mentions },
      },
      ctx.now(),
    )
  } catch (err) {
    ctx.log.warn('could not merge assignee names', { error: (err as Error).message })
  }
}
