// The open-alert banner above every page's content: what is going on, since when, a link to each
// alert and a one-click acknowledgement (a plain form: works without JavaScript). Its title is not
// a heading: the banner comes before each page's h1, and a page's outline starts with its h1; the
// labelled region is what assistive technology lists among the page's landmarks.
import { may, type ViewCtx } from '../view-context'

const SHOWN = 3

export function AlertBanner(props: { v: ViewCtx }) {
  const { v } = props
  const alerts = v.openAlerts ?? []
  if (!alerts.length || v.path.startsWith('/alerts')) return null
  return (
    <section class="alert-banner" aria-labelledby="alert-banner-title">
      <p id="alert-banner-title" class="alert-banner-title">
        <a href="/alerts">{v.t('alerts.banner', { count: alerts.length })}</a>
      </p>
      <ul>
        {alerts.slice(0, SHOWN).map((a) => (
          <li class={`ab-${a.status}`}>
            <span class={`badge a-${a.status}`}>{v.t(`alerts.status.${a.status}` as any)}</span>{' '}
            <a href={`/alerts/${a.id}`}>
              {v.t('alerts.bannerOne', {
                brand: a.brand_name,
                kind: v.t(`alerts.kind.${a.kind}` as any),
                when: v.fmt.relative(a.started_at, v.now),
              })}
            </a>
            {a.status === 'open' && may(v, 'POST', `/alerts/${a.id}/ack`) ? (
              <form method="post" action={`/alerts/${a.id}/ack`} class="inline-form">
                <input type="hidden" name="back" value={v.here} />
                <button class="btn btn-small" type="submit">
                  {v.t('alerts.acknowledge')}
                </button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
      {alerts.length > SHOWN ? (
        <p class="small">
          <a href="/alerts">+{alerts.length - SHOWN}</a>
        </p>
      ) : null}
    </section>
  )
}
