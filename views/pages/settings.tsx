// The settings hub: one card per settings area. Each capability adds its entry to SECTIONS.
import type { Localized } from '../../collectors/types'
import { Layout } from '../layout'
import type { ViewCtx } from '../view-context'

export interface SettingsSection {
  href: string
  title: Localized
  text: Localized
  /** Who sees the card (the route itself is guarded by the access policy). */
  role?: 'admin' | 'responder' | 'viewer'
}

export const SECTIONS: SettingsSection[] = [
  {
    href: '/settings/channels',
    title: { fr: 'Canaux d’alerte', en: 'Alert channels' },
    text: {
      fr: 'Slack, Teams, Mattermost, Discord, Google Chat, webhook : routage et heures calmes.',
      en: 'Slack, Teams, Mattermost, Discord, Google Chat, webhook: routing and quiet hours.',
    },
    role: 'admin',
  },
]

export function SettingsPage(props: { v: ViewCtx; sections: SettingsSection[] }) {
  const { v } = props
  return (
    <Layout v={v} title={v.t('settings.title')}>
      <h1>{v.t('settings.title')}</h1>
      <p class="muted">{v.t('settings.intro')}</p>
      <ul class="settings-grid">
        {props.sections.map((s) => (
          <li class="card">
            <h2>
              <a href={s.href}>{s.title[v.locale]}</a>
            </h2>
            <p class="muted">{s.text[v.locale]}</p>
          </li>
        ))}
      </ul>
    </Layout>
  )
}
