// The settings hub page.
import { Hono } from 'hono'
import { SECTIONS, SettingsPage } from '../../views/pages/settings'
import type { Env } from '../app'

const rank = { viewer: 0, responder: 1, admin: 2 } as const

export const settingsRoutes = new Hono<Env>().get('/settings', (c) => {
  const user = c.get('user')
  const visible = SECTIONS.filter((s) => !s.role || !user || rank[user.role] >= rank[s.role])
  return c.html(<SettingsPage v={c.get('v')} sections={visible} />)
})
