// First run: the one-time setup link creates the first administrator (no default password).
import { ErrorSummary, Field, type FieldErrors } from '../components'
import { Layout } from '../layout'
import type { ViewCtx } from '../view-context'

export function SetupPage(props: {
  v: ViewCtx
  token: string
  values: { email: string; name: string }
  errors: FieldErrors
  /** a dead link: an invitation's, or the first-run one */
  invalid?: false | 'invite' | 'setup'
  /** An invitation: the account exists, only the password is chosen. */
  invitedEmail?: string
}) {
  const { v, errors } = props
  const invite = !!props.invitedEmail || props.invalid === 'invite'
  return (
    <Layout v={v} title={v.t(invite ? 'access.inviteTitle' : 'access.setupTitle')}>
      <div class="narrow">
        <h1>{v.t(invite ? 'access.inviteTitle' : 'access.setupTitle')}</h1>
        {props.invalid ? (
          <div class="alert alert-error" role="alert">
            {v.t(props.invalid === 'invite' ? 'access.inviteInvalid' : 'access.setupInvalid')}
          </div>
        ) : (
          <>
            <p class="muted">
              {props.invitedEmail
                ? v.t('access.inviteIntro', { email: props.invitedEmail })
                : v.t('access.setupIntro')}
            </p>
            <ErrorSummary v={v} errors={errors} />
            <form
              class="card form"
              method="post"
              action={`/setup/${encodeURIComponent(props.token)}`}
            >
              {props.invitedEmail ? null : (
                <>
                  <Field id="setup-email" label={v.t('access.email')} error={errors.email} required>
                    <input
                      id="setup-email"
                      name="email"
                      type="email"
                      autocomplete="username"
                      required
                      value={props.values.email}
                    />
                  </Field>
                  <Field id="setup-name" label={v.t('access.name')} error={errors.name}>
                    <input id="setup-name" name="name" type="text" value={props.values.name} />
                  </Field>
                </>
              )}
              <Field
                id="setup-password"
                label={v.t('access.newPassword')}
                help={v.t('access.passwordHelp')}
                error={errors.password}
                required
              >
                <input
                  id="setup-password"
                  name="password"
                  type="password"
                  autocomplete="new-password"
                  required
                  minlength={10}
                />
              </Field>
              <Field
                id="setup-confirm"
                label={v.t('access.confirmPassword')}
                error={errors.confirm}
                required
              >
                <input
                  id="setup-confirm"
                  name="confirm"
                  type="password"
                  autocomplete="new-password"
                  required
                />
              </Field>
              <div class="form-actions">
                <button class="btn btn-primary" type="submit">
                  {v.t('access.setupButton')}
                </button>
              </div>
            </form>
          </>
        )}
      </div>
    </Layout>
  )
}
