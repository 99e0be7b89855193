// Sign-in pages: e-mail and password, then the second factor when the account has one.
import { Field } from '../components'
import { Layout } from '../layout'
import type { ViewCtx } from '../view-context'

export function SigninPage(props: {
  v: ViewCtx
  email: string
  next: string
  error?: string
  noUsers?: boolean
}) {
  const { v } = props
  return (
    <Layout v={v} title={v.t('access.signin')}>
      <div class="narrow">
        <h1>{v.t('access.signin')}</h1>
        {props.noUsers ? (
          <div class="alert" role="status">
            <p>{v.t('access.noUsers')}</p>
            <p>
              <code>npm run user -- add --admin you@example.com</code>
            </p>
          </div>
        ) : null}
        {props.error ? (
          <div class="alert alert-error" role="alert" id="signin-error">
            {props.error}
          </div>
        ) : null}
        <form class="card form" method="post" action="/signin">
          <input type="hidden" name="next" value={props.next} />
          <Field id="signin-email" label={v.t('access.email')} required>
            <input
              id="signin-email"
              name="email"
              type="email"
              autocomplete="username"
              required
              value={props.email}
              autofocus
              // focused on load: it carries the refusal, read with its label
              aria-describedby={props.error ? 'signin-error' : undefined}
              aria-invalid={props.error ? 'true' : undefined}
            />
          </Field>
          <Field id="signin-password" label={v.t('access.password')} required>
            <input
              id="signin-password"
              name="password"
              type="password"
              autocomplete="current-password"
              required
            />
          </Field>
          <div class="form-actions">
            <button class="btn btn-primary" type="submit">
              {v.t('access.signinButton')}
            </button>
          </div>
        </form>
      </div>
    </Layout>
  )
}

export function TwoFactorPage(props: { v: ViewCtx; next: string; error?: string }) {
  const { v } = props
  return (
    <Layout v={v} title={v.t('access.twoFactor')}>
      <div class="narrow">
        <h1>{v.t('access.twoFactor')}</h1>
        <p class="muted">{v.t('access.twoFactorHelp')}</p>
        {props.error ? (
          <div class="alert alert-error" role="alert" id="code-error">
            {props.error}
          </div>
        ) : null}
        <form class="card form" method="post" action="/signin/2fa">
          <input type="hidden" name="next" value={props.next} />
          <Field id="signin-code" label={v.t('access.code')} required>
            <input
              id="signin-code"
              name="code"
              type="text"
              inputmode="text"
              autocomplete="one-time-code"
              required
              autofocus
              aria-describedby={props.error ? 'code-error' : undefined}
              aria-invalid={props.error ? 'true' : undefined}
            />
          </Field>
          <div class="form-actions">
            <button class="btn btn-primary" type="submit">
              {v.t('access.verify')}
            </button>
            <a class="btn btn-link" href="/signin">
              {v.t('common.cancel')}
            </a>
          </div>
        </form>
      </div>
    </Layout>
  )
}

export function ForbiddenPage(props: { v: ViewCtx }) {
  const { v } = props
  return (
    <Layout v={v} title={v.t('access.forbiddenTitle')}>
      <h1>{v.t('access.forbiddenTitle')}</h1>
      <p>{v.t('access.forbiddenText')}</p>
      <p>
        <a href="/">{v.t('nav.dashboard')}</a>
      </p>
    </Layout>
  )
}
