// node-cron wiring: every job runs through one wrapper that logs failures and never throws, and
// tasks never overlap themselves. Stopping waits for polls in flight.
import cron, { type ScheduledTask } from 'node-cron'
import type { AppContext } from './context'
import type { Logger } from './log'
import type { Poller } from './poller'
import type { StreamManager } from './streams'

export interface Job {
  name: string
  /** Cron expression (node-cron, seconds field allowed). */
  schedule: string
  run: (ctx: AppContext) => Promise<unknown>
  timezone?: string
}

export async function runJob(ctx: AppContext, job: Pick<Job, 'name' | 'run'>): Promise<void> {
  const t0 = Date.now()
  try {
    await job.run(ctx)
    ctx.log.debug('job done', { job: job.name, ms: Date.now() - t0 })
  } catch (err) {
    ctx.log.error('job failed', { job: job.name, err: (err as Error).stack ?? String(err) })
  }
}

export class Scheduler {
  private tasks: ScheduledTask[] = []
  constructor(
    private ctx: AppContext,
    private poller: Poller,
    private streams?: StreamManager,
  ) {}

  /** The given jobs, plus polling due sources and keeping streams up unless `polling` is false. */
  start(jobs: Job[], opts: { polling?: boolean } = {}): void {
    const polling = opts.polling !== false
    const all: Job[] = [
      ...(polling
        ? [{ name: 'poll', schedule: '*/20 * * * * *', run: () => this.poller.startDue() }]
        : []),
      ...(polling && this.streams
        ? [{ name: 'streams', schedule: '0 * * * * *', run: () => this.streams!.sync() }]
        : []),
      ...jobs,
    ]
    for (const job of all) {
      this.tasks.push(
        cron.schedule(job.schedule, () => runJob(this.ctx, job), {
          name: job.name,
          noOverlap: true,
          logger: cronLogger(this.ctx.log, job.name),
          timezone: job.timezone ?? this.ctx.config.tz,
        }),
      )
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.tasks.map((t) => t.stop()))
    await Promise.all(this.tasks.map((t) => t.destroy()))
    this.tasks = []
    await Promise.all([this.poller.drain(), this.streams?.stop()])
  }
}

/**
 * node-cron's own notices as Vigie's JSON log lines (it prints coloured text otherwise). A tick
 * skipped because the last run is still going is expected for a slow poll: debug, not a warning.
 */
export function cronLogger(log: Logger, job: string) {
  const text = (m: string | Error) => (m instanceof Error ? m.message : m)
  return {
    info: (m: string) => log.debug(m, { job, by: 'node-cron' }),
    warn: (m: string) => (/overlap/.test(m) ? log.debug : log.warn)(m, { job, by: 'node-cron' }),
    error: (m: string | Error, err?: Error) =>
      log.error(text(m), { job, by: 'node-cron', err: err?.message }),
    debug: (m: string | Error) => log.debug(text(m), { job, by: 'node-cron' }),
  }
}
