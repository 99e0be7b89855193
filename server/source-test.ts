// "Test source": fetch once with the given settings and show what would be collected — which
// items match which brand, which are dropped by exclusions, which match nothing — without storing
// anything or touching the source's state.
import { collectors } from '../collectors'
import { collectFailure, CollectorError } from '../collectors/http'
import { listBrands } from '../db/brands'
import { loadExclusionMatcher } from '../db/exclusions'
import type { AppContext } from './context'
import { htmlToText, safeUrl, truncate } from './normalize'
import { buildMentionRows, prepareBrands } from './pipeline'
import { retentionCutoff } from './retention'
import { brandTermsFor } from './poller'
import { localize } from './field-errors'

export interface DryRunItem {
  title: string
  text: string
  url: string
  author?: string
  publishedAt?: string
  outcome: 'kept' | 'excluded' | 'unmatched' | 'invalid' | 'expired'
  brands: string[]
  lang?: string
  sentiment?: string
}

export interface DryRun {
  ok: boolean
  error?: { code: string; message: string }
  fetched: number
  /** the first items read, as a poll would judge them */
  items: DryRunItem[]
  /** every item read, by outcome (a long feed's first items may all be off-topic) */
  counts: Record<DryRunItem['outcome'], number>
  warning?: string
  notModified?: boolean
}

const noCounts = (): DryRun['counts'] => ({
  kept: 0,
  excluded: 0,
  unmatched: 0,
  invalid: 0,
  expired: 0,
})

/** A dry run that read nothing, and why. */
export function dryRunFailure(code: string, message: string): DryRun {
  return { ok: false, error: { code, message }, fetched: 0, items: [], counts: noCounts() }
}

export async function dryRunSource(
  ctx: AppContext,
  input: { kind: string; config: unknown; brandId?: number | null },
  limit = 50,
): Promise<DryRun> {
  const collector = collectors.get(input.kind)
  if (!collector) return dryRunFailure('config', `no collector named "${input.kind}"`)
  const parsed = collector.schema.safeParse(input.config)
  if (!parsed.success) {
    const i = parsed.error.issues[0]
    return dryRunFailure('config', `${i.path.join('.')}: ${localize(i.message, 'en')}`)
  }
  if (collector.listen && (collector.streams?.(parsed.data) ?? true))
    return dryRunFailure(
      'config',
      'a live stream cannot be tested once; save it and watch its health',
    )
  const all = await listBrands(ctx.db, { activeOnly: true })
  const scoped = input.brandId ? all.filter((b) => b.id === input.brandId) : all
  try {
    const result = await collector
      .collect(
        { http: ctx.http, now: ctx.now, brands: brandTermsFor(scoped), log: () => {} },
        parsed.data,
        {},
      )
      .catch((err: unknown) => {
        throw collectFailure(err)
      })
    const brands = prepareBrands(all)
    const exclusions = await loadExclusionMatcher(ctx.db)
    const notBefore = await retentionCutoff(ctx.db, ctx.now())
    const source = { id: 0, kind: input.kind, brand_id: input.brandId ?? null }
    const names = new Map(all.map((b) => [b.id, b.name]))
    const counts = noCounts()
    const items: DryRunItem[] = []
    for (const item of result.items) {
      const built = buildMentionRows(source, [item], brands, exclusions, ctx.now(), {
        attributeToSourceBrand: !!collector.attributesToBrand && !!input.brandId,
        notBefore,
      })
      const outcome = built.rows.length
        ? 'kept'
        : built.excluded
          ? 'excluded'
          : built.invalid
            ? 'invalid'
            : built.expired
              ? 'expired'
              : 'unmatched'
      counts[outcome]++
      if (items.length >= limit) continue
      items.push({
        title: truncate(htmlToText(item.title ?? ''), 300),
        text: truncate(htmlToText(item.text ?? ''), 400),
        url: safeUrl(item.url ?? ''),
        author: item.author,
        publishedAt: item.publishedAt,
        outcome,
        brands: built.rows.map((r) => names.get(r.brand_id) ?? '?'),
        lang: built.rows[0]?.lang,
        sentiment: built.rows[0]?.sentiment_label,
      })
    }
    return {
      ok: true,
      fetched: result.items.length,
      items,
      counts,
      warning: result.warning,
      notModified: result.notModified,
    }
  } catch (err) {
    // past collect() (wrapped by collectFailure), a failure is Vigie's own, as in the poller
    const e =
      err instanceof CollectorError
        ? err
        : new CollectorError('internal', String((err as Error).message ?? err))
    return dryRunFailure(e.code, e.message)
  }
}
