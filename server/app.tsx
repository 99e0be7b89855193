// The HTTP application: per-request view context (locale, formatting), CSRF check on every
// state-changing request, static assets served from disk (htmx from its package, never a CDN),
// one sub-app per resource, one error handler.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { type Context, Hono } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { bodyLimit } from 'hono/body-limit'
import { csrf } from 'hono/csrf'
import { HTTPException } from 'hono/http-exception'
import { secureHeaders } from 'hono/secure-headers'
import { formatter, pickLocale, pickZone, translator } from '../views/i18n'
import { Layout } from '../views/layout'
import type { ViewCtx } from '../views/view-context'
import type { AppContext, SessionUser } from './context'
import { accessControl } from './auth'
import { HX, redirectAfterPost } from './htmx'
import type { Poller } from './poller'
import { alertRoutes, openAlertsBanner } from './routes/alerts'
import { apiRoutes } from './routes/api'
import { accessRoutes } from './routes/access'
import { ingestRoutes } from './routes/ingest'
import { brandRoutes } from './routes/brands'
import { channelRoutes } from './routes/channels'
import { dashboardRoutes } from './routes/dashboard'
import { digestRoutes, UNSUBSCRIBE_PREFIX } from './routes/digest'
import { mentionRoutes } from './routes/mentions'
import { settingsRoutes } from './routes/settings'
import { sourceTestRoutes } from './routes/source-test'
import { sourceRoutes } from './routes/sources'

export type Env = {
  Variables: {
    ctx: AppContext
    poller: Poller
    v: ViewCtx
    user: SessionUser | null
    /** Scopes of the API token that authenticated this request (null: not a token request). */
    tokenScopes: string[] | null
  }
}

const require = createRequire(import.meta.url)

function loadStatic() {
  const htmxPath = require.resolve('htmx.org/dist/htmx.min.js')
  return {
    '/static/htmx.min.js': { body: readFileSync(htmxPath), type: 'text/javascript; charset=utf-8' },
    '/static/app.js': {
      body: readFileSync(new URL('../views/static/app.js', import.meta.url)),
      type: 'text/javascript; charset=utf-8',
    },
    '/static/app.css': {
      body: readFileSync(new URL('../views/static/app.css', import.meta.url)),
      type: 'text/css; charset=utf-8',
    },
    '/static/favicon.svg': {
      body: readFileSync(new URL('../views/static/favicon.svg', import.meta.url)),
      type: 'image/svg+xml',
    },
  } as Record<string, { body: Buffer; type: string }>
}

const MAX_FORM_BYTES = 1024 * 1024

export function createApp(ctx: AppContext, poller: Poller): Hono<Env> {
  const assets = loadStatic()
  const app = new Hono<Env>()

  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"], // htmx injects its indicator styles inline
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        objectSrc: ["'none'"],
      },
      referrerPolicy: 'same-origin',
    }),
  )
  // Every body is capped before anything reads it, sign-in included (before any session): one
  // 100 MB POST to /signin held 300 MB of memory, three of 450 MB several gigabytes. No form of
  // Vigie's comes near 1 MB; the ingest API keeps its own 5 MB (routes/ingest.ts).
  const capped = bodyLimit({
    maxSize: MAX_FORM_BYTES,
    onError: (c) =>
      c.req.path.startsWith('/api/')
        ? c.json({ error: 'body over 1 MB' }, 413)
        : c.text(
            'Formulaire trop volumineux (1 Mo au plus). / Form too large (1 MB at most).',
            413,
          ),
  })
  app.use((c, next) => (c.req.path === '/api/ingest' ? next() : capped(c, next)))
  // Browsers send Origin on every POST; a cross-site form or fetch is refused.
  const csrfCheck = csrf({
    origin: (origin, c) => origin === new URL(c.req.url).origin || origin === ctx.config.baseUrl,
  })
  // Except the digest's one-click unsubscribe (RFC 8058): mail providers POST it with no Origin;
  // its signed token is what authorizes it.
  app.use((c, next) => (c.req.path.startsWith(UNSUBSCRIBE_PREFIX) ? next() : csrfCheck(c, next)))
  app.use(async (c, next) => {
    const locale = pickLocale(getCookie(c, 'lang'), c.req.header('accept-language'))
    const tz = pickZone(getCookie(c, 'tz'), ctx.config.tz)
    c.set('ctx', ctx)
    c.set('poller', poller)
    // An outer layer (the access middleware, a test harness) may already have identified the caller.
    if (c.get('user') === undefined) c.set('user', null)
    if (c.get('tokenScopes') === undefined) c.set('tokenScopes', null)
    c.set('v', {
      t: translator(locale),
      locale,
      fmt: formatter(locale, tz),
      tz,
      vigieTz: tz === ctx.config.tz ? undefined : ctx.config.tz,
      now: ctx.now(),
      path: c.req.path,
      here: c.req.method === 'GET' ? c.req.path + new URL(c.req.url).search : c.req.path,
    })
    await next()
  })
  // Who is asking, and may they: every route, whoever registered it (server/auth.ts).
  app.use(accessControl())
  app.use(async (c, next) => {
    c.set('v', { ...c.get('v'), user: c.get('user') })
    await next()
  })
  app.use(openAlertsBanner)

  app.get('/static/:file', (c) => {
    const asset = assets[c.req.path]
    if (!asset) return c.notFound()
    c.header('Content-Type', asset.type)
    c.header('Cache-Control', 'public, max-age=3600')
    return c.body(new Uint8Array(asset.body))
  })

  // Display preferences of this browser (cookies, a year), then back to the page they were set
  // from: the whole page changes, so an htmx request is answered with a refresh.
  const prefsSaved = (c: Context, back: unknown) => {
    if (c.req.header(HX.request) === 'true') {
      c.header(HX.refresh, 'true')
      return c.body(null, 200)
    }
    const safe = typeof back === 'string' && back.startsWith('/') && !back.startsWith('//')
    return redirectAfterPost(c, safe ? back : '/')
  }
  const PREF = { path: '/', maxAge: 365 * 86400, sameSite: 'Lax', httpOnly: true } as const

  app.post('/lang', async (c) => {
    const body = await c.req.parseBody()
    setCookie(c, 'lang', body.lang === 'en' ? 'en' : 'fr', PREF)
    return prefsSaved(c, body.back)
  })

  // The zone pages show times in, for this browser: a team in Montréal and one in Geneva share one
  // Vigie. Offered by the page foot when the device's zone differs (app.js); empty = Vigie's.
  app.post('/tz', async (c) => {
    const body = await c.req.parseBody()
    const tz = typeof body.tz === 'string' ? body.tz.trim() : ''
    if (tz && pickZone(tz, '') === tz) setCookie(c, 'tz', tz, PREF)
    else deleteCookie(c, 'tz', { path: '/' })
    return prefsSaved(c, body.back)
  })

  app.route('/', accessRoutes)
  app.route('/', apiRoutes)
  app.route('/', ingestRoutes)
  app.route('/', dashboardRoutes)
  app.route('/', mentionRoutes)
  app.route('/', brandRoutes)
  app.route('/', sourceTestRoutes)
  app.route('/', sourceRoutes)
  app.route('/', settingsRoutes)
  app.route('/', alertRoutes)
  app.route('/', channelRoutes)
  app.route('/', digestRoutes)

  app.notFound((c) => {
    if (c.req.path.startsWith('/api/')) return c.json({ error: 'not found' }, 404)
    const v = c.get('v')
    if (!v) return c.text('not found', 404)
    return c.html(
      <Layout v={v} title={v.t('error.notFound')}>
        <h1>{v.t('error.notFound')}</h1>
        <p>
          <a href="/">{v.t('nav.dashboard')}</a>
        </p>
      </Layout>,
      404,
    )
  })

  app.onError((err, c) => {
    if (err instanceof HTTPException) {
      if (err.status === 403 && c.req.path.startsWith('/api/'))
        // a script's request with a form or text body: what it has to change, in its own format
        return c.json(
          {
            error:
              'refused by the CSRF check: send the body as JSON (Content-Type: application/json)',
          },
          403,
        )
      if (err.status === 403)
        return c.text('Forbidden: this request did not come from a Vigie page (CSRF check).', 403)
      return err.getResponse()
    }
    ctx.log.error('request failed', { path: c.req.path, err: err.stack ?? String(err) })
    if (c.req.path.startsWith('/api/')) return c.json({ error: 'internal error' }, 500)
    const v = c.get('v')
    if (!v) return c.text('internal error', 500)
    return c.html(
      <Layout v={v} title={v.t('error.generic')}>
        <h1>{v.t('error.generic')}</h1>
      </Layout>,
      500,
    )
  })
  return app
}
