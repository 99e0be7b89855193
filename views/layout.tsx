// The page shell: skip link, navigation, language switch, main landmark. htmx and the stylesheet
// are served by Vigie itself (never a CDN).
import { html } from 'hono/html'
import type { Child } from 'hono/jsx'
import { AlertBanner } from './partials/alert-banner'
import type { ViewCtx } from './view-context'

const NAV = [
  ['/', 'nav.dashboard'],
  ['/mentions', 'nav.mentions'],
  ['/alerts', 'nav.alerts'],
  ['/brands', 'nav.brands'],
  ['/sources', 'nav.sources'],
  ['/settings', 'nav.settings'],
] as const

export function Layout(props: { v: ViewCtx; title: string; children: Child }) {
  const { v } = props
  const other = v.locale === 'fr' ? 'en' : 'fr'
  const active = (href: string) => (href === '/' ? v.path === '/' : v.path.startsWith(href))
  return html`<!doctype html>${(
    <html lang={v.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Vigie`}</title>
        <link rel="stylesheet" href="/static/app.css" />
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
        <script src="/static/htmx.min.js" defer></script>
        <script src="/static/app.js" defer></script>
      </head>
      <body>
        <a class="skip" href="#main">
          {v.t('nav.skip')}
        </a>
        <header class="top">
          <a class="brand" href="/" aria-label="Vigie">
            <span class="logo" aria-hidden="true">
              ◉
            </span>{' '}
            Vigie
          </a>
          {v.user ? (
            <nav aria-label="Vigie">
              <ul>
                {NAV.map(([href, key]) => (
                  <li>
                    <a href={href} aria-current={active(href) ? 'page' : undefined}>
                      {v.t(key)}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
          ) : null}
          {/* A button naming the other language (in that language), not a menu that reloads the
              page on its first arrow key (WCAG 3.2.2, "on input"): two languages need one press. */}
          <form class="lang" method="post" action="/lang">
            <input type="hidden" name="back" value={v.here} />
            <input type="hidden" name="lang" value={other} />
            {/* an input, as for sign-out below: tests aiming at a page form's submit button */}
            <input
              id="lang-switch"
              class="btn btn-small"
              type="submit"
              lang={other}
              title={v.t('nav.language')}
              value={other === 'en' ? 'English' : 'Français'}
            />
          </form>
          {v.user ? (
            <div class="who">
              <a href="/account" aria-current={v.path.startsWith('/account') ? 'page' : undefined}>
                {v.user.name || v.user.email}
              </a>
              <form method="post" action="/signout">
                {/* an input, so page tests aiming at the form's "button[type=submit]" never hit it */}
                <input class="btn btn-link btn-small" type="submit" value={v.t('access.signout')} />
              </form>
            </div>
          ) : null}
        </header>
        <main id="main" tabindex={-1}>
          <AlertBanner v={v} />
          {props.children}
        </main>
        {v.user ? (
          <footer class="page-foot muted small">
            {v.t('common.timeZone', { tz: v.tz })}{' '}
            {/* Vigie's zone is TZ; a person elsewhere may see the pages in their own (POST /tz) */}
            {v.vigieTz ? (
              <form class="foot-form" method="post" action="/tz">
                <input type="hidden" name="back" value={v.here} />
                <input type="hidden" name="tz" value="" />
                <button type="submit">{v.t('common.tzVigie', { tz: v.vigieTz })}</button>
              </form>
            ) : null}
            {/* shown by app.js when this device's zone is another one */}
            <form
              id="tz-device"
              class="foot-form"
              method="post"
              action="/tz"
              data-tz={v.tz}
              data-vigie-tz={v.vigieTz}
              hidden
            >
              <input type="hidden" name="back" value={v.here} />
              <input type="hidden" name="tz" value="" />
              <button type="submit" data-label={v.t('common.tzDevice')} />
            </form>
          </footer>
        ) : null}
      </body>
    </html>
  )}`
}
