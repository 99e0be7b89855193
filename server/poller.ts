// The poller: picks due sources, runs their collectors with bounded concurrency and at most
// `pollPerHost` requests per host at a time (Miniflux's politeness), pipes items through the
// pipeline, and records state, schedule and health on every exit path. One failing source
// never stops the others.
import { collectors, isStreaming } from '../collectors'
import { collectFailure, CollectorError } from '../collectors/http'
import type { BrandTerms, CollectResult, Collector } from '../collectors/types'
import { listBrands } from '../db/brands'
import type { Source } from '../db/schema'
import { claimPoll, dueSources, recordPollFailure, recordPollSuccess } from '../db/sources'
import type { AppContext } from './context'
import { KeyedSemaphore, Semaphore } from './limit'
import { ingest, prepareBrands, type IngestStats } from './pipeline'
import { positiveTerms } from './query'
import { parseQuery } from './query'
import { nextCheckAfterFailure, nextCheckAfterSuccess } from './schedule-math'
import { localize } from './field-errors'

export interface PollOutcome {
  sourceId: number
  ok: boolean
  error?: string
  code?: string
  notModified?: boolean
  stats?: IngestStats
}

/** Being polled already, by this process or (claimPoll) by another one on the same database. */
const busy = (sourceId: number): PollOutcome => ({
  sourceId,
  ok: false,
  error: 'already polling',
  code: 'busy',
})

/** How long a claimed source is left alone if its poller never records the outcome (a crash). */
const POLL_LEASE_MS = 10 * 60_000

export type NewMentionsHook = (ctx: AppContext, brandIds: number[]) => Promise<void>

export class Poller {
  private inFlight = new Set<Promise<unknown>>()
  private hosts: KeyedSemaphore
  private all: Semaphore
  private running = new Set<number>()

  constructor(
    private ctx: AppContext,
    private opts: { onNewMentions?: NewMentionsHook; rand?: () => number } = {},
  ) {
    this.hosts = new KeyedSemaphore(ctx.config.pollPerHost)
    this.all = new Semaphore(ctx.config.pollConcurrency)
  }

  /** Due sources this process is not polling yet (streams listen instead). */
  private async due(): Promise<Source[]> {
    return (await dueSources(this.ctx.db, this.ctx.now(), 200)).filter(
      (s) => !this.running.has(s.id) && !isStreaming(s),
    )
  }

  /** Polls the due sources and waits for every one of them (the scheduler uses startDue). */
  async pollDue(): Promise<PollOutcome[]> {
    return Promise.all((await this.due()).map((s) => this.pollSource(s)))
  }

  /**
   * Starts the due sources not already in flight and returns at once, not when they are done: the
   * scheduler ticks every 20 s, and a tick that waited for its slowest site held every other
   * source back (eight hanging feeds delayed a one-minute source by three minutes). Sources
   * still in flight are skipped by the next tick; the concurrency caps still hold.
   */
  async startDue(): Promise<number> {
    const due = await this.due()
    for (const s of due) void this.pollSource(s) // never rejects (pollOne records its failures)
    return due.length
  }

  /** Polls one source now (the "Poll now" button), unless it is already being polled. */
  pollSource(source: Source): Promise<PollOutcome> {
    if (this.running.has(source.id)) return Promise.resolve(busy(source.id))
    this.running.add(source.id)
    const p = this.all
      .run(() => this.hosts.run(hostKey(source), () => pollOne(this.ctx, source, this.opts)))
      .finally(() => {
        this.running.delete(source.id)
        this.inFlight.delete(p)
      })
    this.inFlight.add(p)
    return p
  }

  /** Runs the after-ingest hook (spike detection) for mentions that arrived another way (push). */
  async afterIngest(brandIds: number[]): Promise<void> {
    if (!brandIds.length || !this.opts.onNewMentions) return
    await this.opts
      .onNewMentions(this.ctx, brandIds)
      .catch((err) => this.ctx.log.error('after-ingest hook failed', { err: String(err) }))
  }

  isPolling(id: number): boolean {
    return this.running.has(id)
  }

  /** Waits for polls in flight (graceful shutdown). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.inFlight])
  }
}

function hostKey(source: Source): string {
  try {
    const cfg = JSON.parse(source.config) as Record<string, unknown>
    const url = (cfg.url ?? cfg.baseUrl ?? cfg.instance) as string | undefined
    if (url) return new URL(url).host
  } catch {}
  return `kind:${source.kind}`
}

export function brandTermsFor(brands: { name: string; query: string }[]): BrandTerms[] {
  return brands.flatMap((b) => {
    try {
      return [{ name: b.name, query: b.query, terms: positiveTerms(parseQuery(b.query)) }]
    } catch {
      return []
    }
  })
}

/** One poll of one source, from collector call to recorded health. Never throws. */
export async function pollOne(
  ctx: AppContext,
  source: Source,
  opts: { onNewMentions?: NewMentionsHook; rand?: () => number } = {},
): Promise<PollOutcome> {
  const started = ctx.now()
  const collector: Collector | undefined = collectors.get(source.kind)
  let state: Record<string, unknown> = {}
  try {
    // Another process (several on one Postgres) polls it, or polled it since this row was read.
    if (!(await claimPoll(ctx.db, source, started, new Date(started.getTime() + POLL_LEASE_MS))))
      return busy(source.id)
    if (!collector) throw new CollectorError('config', `no collector named "${source.kind}"`)
    try {
      state = JSON.parse(source.state || '{}')
    } catch {
      state = {}
    }
    const parsed = collector.schema.safeParse(JSON.parse(source.config))
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      throw new CollectorError(
        'config',
        `invalid settings: ${issue.path.join('.') || 'config'}: ${localize(issue.message, 'en')}`,
      )
    }
    const brands = await listBrands(ctx.db, { activeOnly: true })
    const scoped = source.brand_id ? brands.filter((b) => b.id === source.brand_id) : brands
    const result: CollectResult = await collector
      .collect(
        {
          http: ctx.http,
          now: ctx.now,
          brands: brandTermsFor(scoped),
          log: (m, e) => ctx.log.debug(`${source.kind}: ${m}`, e),
        },
        parsed.data,
        state,
      )
      .catch((err: unknown) => {
        throw collectFailure(err)
      })
    const stats = await ingest(
      ctx.db,
      source,
      result.items,
      ctx.now(),
      { brands: prepareBrands(brands) },
      {
        attributeToSourceBrand:
          !collector.usesBrandQuery &&
          !!source.brand_id &&
          !!(collector as { attributesToBrand?: boolean }).attributesToBrand,
      },
    )
    const now = ctx.now()
    await recordPollSuccess(ctx.db, source.id, {
      now,
      nextCheckAt: nextCheckAfterSuccess(
        now,
        source.interval_seconds,
        result.retryAfterMs,
        opts.rand,
      ),
      state: result.state,
      newCount: stats.newMentions.length,
      itemCount: result.items.length,
      warning: result.warning,
    })
    ctx.log.info('poll ok', {
      source: source.name,
      items: result.items.length,
      new: stats.newMentions.length,
      notModified: !!result.notModified,
    })
    if (stats.newMentions.length && opts.onNewMentions) {
      const brandIds = [...new Set(stats.newMentions.map((m) => m.brand_id))]
      await opts
        .onNewMentions(ctx, brandIds)
        .catch((err) => ctx.log.error('after-ingest hook failed', { err: String(err) }))
    }
    return { sourceId: source.id, ok: true, notModified: result.notModified, stats }
  } catch (err) {
    // collect()'s own failures arrive as CollectorError (collectFailure); anything else broke in
    // Vigie after the source had answered (ingest, the database), which is not the site's fault
    const e =
      err instanceof CollectorError
        ? err
        : new CollectorError('internal', `${(err as Error).message ?? err}`)
    const message = e.message.startsWith(`${source.kind}:`)
      ? e.message
      : `${source.kind}: ${e.message}`
    const now = ctx.now()
    try {
      await recordPollFailure(ctx.db, source.id, {
        now,
        nextCheckAt: nextCheckAfterFailure(
          now,
          source.interval_seconds,
          source.error_count + 1,
          e.retryAfterMs,
          opts.rand,
        ),
        message,
        code: e.code,
      })
    } catch (dbErr) {
      ctx.log.error('could not record poll failure', { source: source.name, err: String(dbErr) })
    }
    ctx.log.warn('poll failed', { source: source.name, code: e.code, error: message })
    return { sourceId: source.id, ok: false, error: message, code: e.code }
  }
}
