// The dashboard: an onboarding guide while Vigie is empty, then key figures and the latest mentions.
import type { MentionRow } from '../../db/mentions'
import { Layout } from '../layout'
import { MentionList } from '../partials/mention-list'
import type { ViewCtx } from '../view-context'

export interface DashboardData {
  brandCount: number
  sourceCount: number
  mentionCount: number
  mentions24h: number
  negative24h: number
  failingSources: number
  recent: MentionRow[]
}

function Onboarding(props: { v: ViewCtx; d: DashboardData }) {
  const { v, d } = props
  const step = (
    done: boolean,
    n: number,
    text: string,
    action?: { href: string; label: string },
  ) => (
    <li class={done ? 'done' : ''}>
      <span class="step-n" aria-hidden="true">
        {done ? '✓' : n}
      </span>
      <span>{text}</span>
      {!done && action ? (
        <a class="btn btn-primary" href={action.href}>
          {action.label}
        </a>
      ) : null}
    </li>
  )
  return (
    <section class="card onboarding" aria-labelledby="welcome">
      <h1 id="welcome">{v.t('onboarding.title')}</h1>
      <p>{v.t('onboarding.intro')}</p>
      <ol class="steps">
        {step(d.brandCount > 0, 1, v.t('onboarding.step1'), {
          href: '/brands/new',
          label: v.t('onboarding.addBrand'),
        })}
        {step(d.sourceCount > 0, 2, v.t('onboarding.step2'), {
          href: '/sources/new',
          label: v.t('onboarding.addSource'),
        })}
        {step(d.mentionCount > 0, 3, v.t('onboarding.step3'))}
      </ol>
      {d.brandCount > 0 && d.sourceCount > 0 ? (
        <p class="muted">{v.t('onboarding.waiting')}</p>
      ) : null}
      <p class="muted">
        <code>{v.t('onboarding.demo')}</code>
      </p>
    </section>
  )
}

export function DashboardPage(props: { v: ViewCtx; d: DashboardData }) {
  const { v, d } = props
  if (!d.brandCount || !d.sourceCount || !d.mentionCount)
    return (
      <Layout v={v} title={v.t('dash.title')}>
        <Onboarding v={v} d={d} />
      </Layout>
    )
  return (
    <Layout v={v} title={v.t('dash.title')}>
      <h1>{v.t('dash.title')}</h1>
      <section class="tiles" aria-label={v.t('dash.title')}>
        <a class="tile" href="/mentions">
          <span class="tile-n">{v.fmt.number(d.mentions24h)}</span>
          <span class="tile-l">{v.t('dash.mentions24h')}</span>
        </a>
        <a class={`tile${d.negative24h ? ' tile-neg' : ''}`} href="/mentions?sentiment=negative">
          <span class="tile-n">{v.fmt.number(d.negative24h)}</span>
          <span class="tile-l">{v.t('dash.negative24h')}</span>
        </a>
        <a class={`tile${d.failingSources ? ' tile-warn' : ''}`} href="/sources">
          <span class="tile-n">{v.fmt.number(d.failingSources)}</span>
          <span class="tile-l">{v.t('dash.sourcesFailing')}</span>
        </a>
      </section>
      <section aria-labelledby="recent">
        <h2 id="recent">
          {v.t('dash.recent')}{' '}
          <a class="small" href="/mentions">
            → {v.t('nav.mentions')}
          </a>
        </h2>
        <MentionList v={v} rows={d.recent} nextUrl={null} />
      </section>
    </Layout>
  )
}
