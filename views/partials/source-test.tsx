// The result of "Test source": what a poll would keep and drop, nothing stored.
import type { DryRun } from '../../server/source-test'
import { Announce, SentimentBadge, SourceError, sourceErrorTitle } from '../components'
import type { Dict } from '../i18n/fr'
import { warningText } from '../source-warning'
import type { ViewCtx } from '../view-context'

/**
 * Swapped in place of the form's #source-test-result; its outcome in one line is announced in the
 * page's #source-test-status.
 */
export function SourceTestResult(props: { v: ViewCtx; r: DryRun }) {
  const { v, r } = props
  const said = (text: string) => <Announce target="source-test-status" text={text} />
  if (!r.ok)
    return (
      <>
        <div class="alert alert-error" id="source-test-result">
          <SourceError v={v} code={r.error!.code} message={r.error!.message} />
        </div>
        {said(sourceErrorTitle(v, r.error!.code))}
      </>
    )
  // over everything read, not just the items listed
  const { kept, expired } = r.counts
  // each figure with its own plural ('1 élément lu, 1 gardé'); items too old for the retention
  // period said up front, or "0 gardé" on an old feed would read as a matching problem
  const summary = v.t('sources.testSummary', {
    read: v.t('sources.testRead', { count: r.fetched }),
    kept:
      v.t('sources.testKept', { count: kept }) +
      (expired ? `, ${v.t('sources.testExpired', { count: expired })}` : ''),
  })
  return (
    <div id="source-test-result" class="card source-test">
      {said(`${summary} ${r.warning ? `⚠ ${warningText(v, r.warning)}` : ''}`.trim())}
      <p>
        <strong>{summary}</strong> {v.t('sources.testNothingStored')}
      </p>
      {r.warning ? <p class="warn-text">⚠ {warningText(v, r.warning)}</p> : null}
      {r.items.length < r.fetched ? (
        <p class="small muted">{v.t('sources.testFirst', { count: r.items.length })}</p>
      ) : null}
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
