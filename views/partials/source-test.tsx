// The result of "Test source": what a poll would keep and drop, nothing stored.
import type { DryRun } from '../../server/source-test'
import { SentimentBadge, SourceError } from '../components'
import type { Dict } from '../i18n/fr'
import type { ViewCtx } from '../view-context'

export function SourceTestResult(props: { v: ViewCtx; r: DryRun }) {
  const { v, r } = props
  if (!r.ok)
    return (
      <div class="alert alert-error" role="alert" id="source-test-result">
        <SourceError v={v} code={r.error!.code} message={r.error!.message} />
      </div>
    )
  const kept = r.items.filter((i) => i.outcome === 'kept').length
  return (
    <div id="source-test-result" class="card source-test" role="status">
      <p>
        <strong>{v.t('sources.testSummary', { fetched: r.fetched, kept })}</strong>{' '}
        {v.t('sources.testNothingStored')}
      </p>
      {r.warning ? <p class="warn-text">⚠ {r.warning}</p> : null}
      <ul class="test-items">
        {r.items.map((i) => (
          <li class={`test-${i.outcome}`}>
            <span class={`badge o-${i.outcome}`}>
              {v.t(`sources.outcome.${i.outcome}` as keyof Dict)}
            </span>{' '}
            {i.brands.map((b) => (
              <span class="brand-tag">{b}</span>
            ))}{' '}
            {i.sentiment ? <SentimentBadge v={v} label={i.sentiment} scored={true} /> : null}{' '}
            <span>{i.title || i.text.slice(0, 140)}</span>
            {i.author ? <small class="muted"> · {i.author}</small> : null}
          </li>
        ))}
      </ul>
    </div>
  )
}
