// The settings hub: one card per settings area. Each capability adds its entry to SECTIONS.
import type { Localized } from '../../collectors/types'
import { inLocale } from '../i18n'
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
  {
    href: '/settings/digest',
    title: { fr: 'Résumé quotidien', en: 'Daily digest' },
    text: {
      fr: 'Qui reçoit le résumé par courriel, à quelle heure, pour quelles marques.',
      en: 'Who gets the e-mail digest, at what time, for which brands.',
    },
    role: 'admin',
  },
  // access (issue 8)
  {
    href: '/account',
    title: { fr: 'Mon compte', en: 'My account' },
    text: {
      fr: 'Mot de passe, deux étapes, sessions, jetons d’API.',
      en: 'Password, two-step verification, sessions, API tokens.',
    },
  },
  {
    href: '/users',
    title: { fr: 'Équipe et accès', en: 'Team and access' },
    text: {
      fr: 'Inviter, changer les rôles, désactiver un compte, exiger la vérification en deux étapes.',
      en: 'Invite, change roles, disable an account, require two-step verification.',
    },
    role: 'admin',
  },
  {
    href: '/settings/privacy',
    title: { fr: 'Confidentialité', en: 'Privacy' },
    text: {
      fr: 'Exclusions, durée de conservation, effacement sur demande, export.',
      en: 'Exclusions, retention, erasure requests, export.',
    },
    role: 'admin',
  },
  {
    href: '/audit',
    title: { fr: 'Journal d’audit', en: 'Audit log' },
    text: { fr: 'Qui a fait quoi et quand.', en: 'Who did what, and when.' },
    role: 'admin',
  },
]

export function SettingsPage(props: { v: ViewCtx; sections: SettingsSection[] }) {
  const { v } = props
  return (
    <Layout v={v} title={v.t('settings.title')}>
      <h1>{v.t('settings.title')}</h1>
      {/* the summary names what the admin's page holds; others see their own account alone */}
      {props.sections.length > 1 ? <p class="muted">{v.t('settings.intro')}</p> : null}
      <ul class="settings-grid">
        {props.sections.map((s) => (
          <li class="card">
            <h2>
              <a href={s.href}>{inLocale(s.title, v.locale)}</a>
            </h2>
            <p class="muted">{inLocale(s.text, v.locale)}</p>
          </li>
        ))}
      </ul>
    </Layout>
  )
}
