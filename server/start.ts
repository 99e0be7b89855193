// Assembles a running Vigie from a Config: database, YAML config, context, poller, scheduler and
// HTTP server. main.ts and demo.ts both use it; tests call it with port 0.
import { serve, type ServerType } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import { createHttpClient } from '../collectors/http'
import { openDatabase, type OpenDb } from '../db'
import { createApp } from './app'
import type { Config } from './config'
import { applyConfigFile } from './config-file'
import type { AppContext } from './context'
import { createLogger, type Logger } from './log'
import { Poller } from './poller'
import { Scheduler } from './scheduler'
import { StreamManager } from './streams'
import { retentionJob } from './retention'
import { loadSecretKey, useSecretKey } from './secrets'
import { urlGuard } from './ssrf'
import { firstRunSetupPath } from './auth/first-run'

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
    schedule?: boolean
    fetch?: typeof fetch
    /** Where VIGIE_SECRET_KEY is read from (default: process.env). */
    env?: Record<string, string | undefined>
  } = {},
): Promise<Running> {
  const log = opts.log ?? createLogger(config.logLevel)
  const now = opts.now ?? (() => new Date())
  // Before any source is read or written: secret fields are encrypted with this key.
  useSecretKey(loadSecretKey(config, opts.env ?? process.env, log))
  const opened: OpenDb = await openDatabase(config.database)
  const ctx: AppContext = {
    db: opened.db,
    dialect: opened.dialect,
    config,
    log,
    now,
    http: createHttpClient({
      fetch: opts.fetch,
      now,
      checkUrl: urlGuard(config.allowPrivateUrls),
    }),
  }
  try {
    if (config.configFile) {
      const r = await applyConfigFile(ctx.db, config.configFile, now())
      log.info('config file applied', { file: config.configFile, ...r })
    }
  } catch (err) {
    await opened.close()
    throw err
  }
  const setupPath = await firstRunSetupPath(ctx)
  const poller = new Poller(ctx)
  const streams = new StreamManager(ctx)
  const scheduler = new Scheduler(ctx, poller, streams)
  if (opts.schedule !== false) {
    scheduler.start([retentionJob])
    await streams.sync()
  }
  const app = createApp(ctx, poller)
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () =>
      resolve(s),
    )
    s.once('error', reject)
  })
  const { port } = server.address() as AddressInfo
  const host = config.host.includes(':') ? `[${config.host}]` : config.host
  const url = `http://${host}:${port}`
  log.info('Vigie is listening', { url })
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
        await scheduler.stop() // no new polls, in-flight ones finish
        await new Promise<void>((r) => {
          server.close(() => r())
          ;(server as { closeAllConnections?: () => void }).closeAllConnections?.()
        })
        await opened.close()
      })()),
  }
}
