// Assembles a running Vigie from a Config: database, YAML config, context, poller, scheduler and
// HTTP server. main.ts and demo.ts both use it; tests call it with port 0.
import { serve, type ServerType } from '@hono/node-server'
import type { AddressInfo } from 'node:net'
import { createHttpClient } from '../collectors/http'
import { openDatabase, type OpenDb } from '../db'
import { runDetection } from './alerts'
import { createApp } from './app'
import type { Config } from './config'
import { applyConfigFile } from './config-file'
import type { AppContext } from './context'
import { alertNotifier, deliverDue } from './deliver'
import { createLogger, type Logger } from './log'
import { Poller } from './poller'
import { Scheduler } from './scheduler'
import { StreamManager } from './streams'

export interface Running {
  ctx: AppContext
  url: string
  poller: Poller
  stop(): Promise<void>
}

export async function start(
  config: Config,
  opts: { log?: Logger; now?: () => Date; schedule?: boolean; fetch?: typeof fetch } = {},
): Promise<Running> {
  const log = opts.log ?? createLogger(config.logLevel)
  const now = opts.now ?? (() => new Date())
  const opened: OpenDb = await openDatabase(config.database)
  const ctx: AppContext = {
    db: opened.db,
    dialect: opened.dialect,
    config,
    log,
    now,
    http: createHttpClient({ fetch: opts.fetch, now }),
  }
  try {
    if (config.configFile) {
      const r = await applyConfigFile(ctx.db, config.configFile, now(), config.tz)
      log.info('config file applied', { file: config.configFile, ...r })
    }
  } catch (err) {
    await opened.close()
    throw err
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
  if (opts.schedule !== false) {
    scheduler.start([
      // On a schedule too: incidents end and alerts resolve while nothing new arrives.
      { name: 'detect', schedule: '30 */5 * * * *', run: (c) => runDetection(c, { notify }) },
      { name: 'deliver', schedule: '*/15 * * * * *', run: (c) => deliverDue(c) },
    ])
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
  let stopping: Promise<void> | undefined
  return {
    ctx,
    url,
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
