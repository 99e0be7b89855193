// Long-lived sources (Bluesky's Jetstream firehose): one listener per enabled streaming source,
// started and stopped as sources change (synced every minute by the scheduler). Each emitted batch
// goes through the same pipeline as a poll, and the cursor is saved only after the batch is stored,
// so a restart resumes where it stopped without losing or repeating mentions.
import { collectors, isStreaming } from '../collectors'
import { CollectorError } from '../collectors/http'
import { listBrands } from '../db/brands'
import type { Source } from '../db/schema'
import { getSource, listSources, recordPollFailure, recordPollSuccess } from '../db/sources'
import type { AppContext } from './context'
import { ingest, prepareBrands } from './pipeline'
import { brandTermsFor, type NewMentionsHook } from './poller'

interface Running {
  controller: AbortController
  done: Promise<void>
  config: string
}

export class StreamManager {
  private running = new Map<number, Running>()
  constructor(
    private ctx: AppContext,
    private opts: { onNewMentions?: NewMentionsHook } = {},
  ) {}

  /** Starts listeners for enabled streaming sources, stops the others (and restarts changed ones). */
  async sync(): Promise<void> {
    const sources = (await listSources(this.ctx.db)).filter((s) => s.enabled && isStreaming(s))
    const wanted = new Map(sources.map((s) => [s.id, s]))
    for (const [id, r] of this.running) {
      const s = wanted.get(id)
      if (!s || s.config !== r.config) await this.stopOne(id)
    }
    for (const s of sources) if (!this.running.has(s.id)) this.startOne(s)
  }

  private startOne(source: Source): void {
    const collector = collectors.get(source.kind)!
    const controller = new AbortController()
    const ctx = this.ctx
    const config = collector.schema.parse(JSON.parse(source.config))
    // recorded like a failed poll, so the Sources page says why the stream receives nothing
    const recordFailure = (e: CollectorError, event: string) => {
      const now = ctx.now()
      ctx.log.warn(event, { source: source.name, error: e.message })
      return recordPollFailure(ctx.db, source.id, {
        now,
        nextCheckAt: new Date(now.getTime() + source.interval_seconds * 1000),
        message: e.message.startsWith(`${source.kind}:`)
          ? e.message
          : `${source.kind}: ${e.message}`,
        code: e.code,
      }).catch(() => {})
    }
    const run = async () => {
      const brands = await listBrands(ctx.db, { activeOnly: true })
      const scoped = source.brand_id ? brands.filter((b) => b.id === source.brand_id) : brands
      let state: Record<string, unknown> = {}
      try {
        state = JSON.parse(source.state || '{}')
      } catch {}
      await collector.listen!(
        {
          http: ctx.http,
          now: ctx.now,
          brands: brandTermsFor(scoped),
          log: (m, e) => ctx.log.debug(`${source.kind}: ${m}`, e),
          signal: controller.signal,
          // the listener retries by itself; the source page says why it is not receiving
          trouble: (e) => void recordFailure(e, 'stream trouble'),
        },
        config,
        state,
        async (batch) => {
          const fresh = (await getSource(ctx.db, source.id)) ?? source
          const stats = await ingest(ctx.db, fresh, batch.items, ctx.now(), {
            brands: prepareBrands(await listBrands(ctx.db, { activeOnly: true })),
          })
          const now = ctx.now()
          await recordPollSuccess(ctx.db, source.id, {
            now,
            nextCheckAt: new Date(now.getTime() + source.interval_seconds * 1000),
            state: batch.state,
            newCount: stats.newMentions.length,
            itemCount: batch.items.length,
            warning: batch.warning,
          })
          if (stats.newMentions.length && this.opts.onNewMentions)
            await this.opts
              .onNewMentions(ctx, [...new Set(stats.newMentions.map((m) => m.brand_id))])
              .catch((err) => ctx.log.error('after-ingest hook failed', { err: String(err) }))
        },
      )
    }
    const done = run().catch(async (err) => {
      if (controller.signal.aborted) return
      const e =
        err instanceof CollectorError
          ? err
          : new CollectorError('config', String((err as Error).message ?? err))
      // a stream that gives up: the next sync restarts it
      await recordFailure(e, 'stream stopped')
      this.running.delete(source.id)
    })
    this.running.set(source.id, { controller, done, config: source.config })
  }

  private async stopOne(id: number): Promise<void> {
    const r = this.running.get(id)
    if (!r) return
    r.controller.abort()
    await r.done
    this.running.delete(id)
  }

  isRunning(id: number): boolean {
    return this.running.has(id)
  }

  async stop(): Promise<void> {
    await Promise.all([...this.running.keys()].map((id) => this.stopOne(id)))
  }
}
