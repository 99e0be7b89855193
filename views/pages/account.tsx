// The signed-in person's own account: password, two-factor, open sessions, API tokens.
import type { ApiToken, Session } from '../../db/schema-access'
import { ErrorSummary, Field, TokenCells, type FieldErrors } from '../components'
import { Layout } from '../layout'
import type { ViewCtx } from '../view-context'

export interface AccountData {
  email: string
  name: string
  role: string
  totpEnabled: boolean
  recoveryLeft: number
  currentSessionId?: string
  sessions: Session[]
  tokens: ApiToken[]
  /** A token just created: shown once. */
  newToken?: string
  notice?: string
  passwordErrors?: FieldErrors
  require2fa?: boolean
}

function device(ua: string): string {
  const browser = /Firefox\//.test(ua)
    ? 'Firefox'
    : /Edg\//.test(ua)
      ? 'Edge'
      : /Chrome\//.test(ua)
        ? 'Chrome'
        : /Safari\//.test(ua)
          ? 'Safari'
          : ua.slice(0, 40) || '?'
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad/.test(ua)
      ? 'iOS'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : ''
  return os ? `${browser} · ${os}` : browser
}

export function AccountPage(props: { v: ViewCtx; d: AccountData }) {
  const { v, d } = props
  const errors = d.passwordErrors ?? {}
  return (
    <Layout v={v} title={v.t('account.title')}>
      <h1>{v.t('account.title')}</h1>
      {d.notice ? (
        <div class="alert" role="status" id="account-notice" tabindex={-1} autofocus>
          {d.notice}
        </div>
      ) : null}
      <p class="muted">
        {d.email} · {v.t(`users.role.${d.role}` as 'users.role.admin')}
      </p>

      <section class="card" aria-labelledby="h-2fa">
        <h2 id="h-2fa">{v.t('account.twoFactor')}</h2>
        {d.totpEnabled ? (
          <>
            <p id="totp-status">{v.t('account.twoFactorOn', { n: d.recoveryLeft })}</p>
            <form method="post" action="/account/2fa/disable" class="inline-form">
              <Field id="disable-code" label={v.t('access.code')}>
                <input id="disable-code" name="code" autocomplete="one-time-code" required />
              </Field>
              <button class="btn btn-danger" type="submit" disabled={d.require2fa}>
                {v.t('account.twoFactorDisable')}
              </button>
            </form>
            {d.require2fa ? <p class="muted small">{v.t('account.twoFactorLocked')}</p> : null}
          </>
        ) : (
          <>
            <p id="totp-status">
              {d.require2fa ? v.t('account.twoFactorRequired') : v.t('account.twoFactorOff')}
            </p>
            <a class="btn btn-primary" href="/account/2fa">
              {v.t('account.twoFactorEnable')}
            </a>
          </>
        )}
      </section>

      <section class="card" aria-labelledby="h-password">
        <h2 id="h-password">{v.t('account.password')}</h2>
        <ErrorSummary v={v} errors={errors} />
        <form method="post" action="/account/password" class="form">
          <Field id="pw-current" label={v.t('access.currentPassword')} error={errors.current}>
            <input id="pw-current" name="current" type="password" autocomplete="current-password" />
          </Field>
          <Field
            id="pw-new"
            label={v.t('access.newPassword')}
            help={v.t('access.passwordHelp')}
            error={errors.password}
            required
          >
            <input
              id="pw-new"
              name="password"
              type="password"
              autocomplete="new-password"
              required
            />
          </Field>
          <Field
            id="pw-confirm"
            label={v.t('access.confirmPassword')}
            error={errors.confirm}
            required
          >
            <input
              id="pw-confirm"
              name="confirm"
              type="password"
              autocomplete="new-password"
              required
            />
          </Field>
          <button class="btn" type="submit">
            {v.t('account.changePassword')}
          </button>
        </form>
      </section>

      <section class="card" aria-labelledby="h-sessions">
        <h2 id="h-sessions">{v.t('account.sessions')}</h2>
        <div class="table-scroll">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{v.t('account.device')}</th>
                <th scope="col">{v.t('account.signedInAt')}</th>
                <th scope="col">{v.t('account.lastSeen')}</th>
                <th scope="col">
                  <span class="sr-only">{v.t('account.revoke')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {d.sessions.map((s) => (
                <tr>
                  <td>
                    {device(s.user_agent)} <span class="muted small">{s.ip}</span>
                    {s.id === d.currentSessionId ? (
                      <strong class="badge">{v.t('account.thisDevice')}</strong>
                    ) : null}
                  </td>
                  <td>{v.fmt.dateTime(s.created_at)}</td>
                  <td>{v.fmt.relative(s.last_seen_at, v.now)}</td>
                  <td>
                    <form
                      method="post"
                      action={`/account/sessions/${encodeURIComponent(s.id)}/revoke`}
                    >
                      <button class="btn btn-small" type="submit">
                        {v.t('account.revoke')}
                      </button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {d.sessions.length > 1 ? (
          <form method="post" action="/account/sessions/revoke-others">
            <button class="btn btn-danger" type="submit">
              {v.t('account.revokeOthers')}
            </button>
          </form>
        ) : null}
      </section>

      <section class="card" aria-labelledby="h-tokens">
        <h2 id="h-tokens">{v.t('account.tokens')}</h2>
        <p class="muted">{v.t('account.tokensHelp')}</p>
        {d.newToken ? (
          <div class="alert" role="status" tabindex={-1} autofocus>
            <p>{v.t('account.tokenShownOnce')}</p>
            <p>
              <code id="new-token">{d.newToken}</code>
            </p>
          </div>
        ) : null}
        {d.tokens.length ? (
          <div class="table-scroll">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">{v.t('account.tokenName')}</th>
                  <th scope="col">{v.t('account.tokenScope')}</th>
                  <th scope="col">{v.t('account.lastUsed')}</th>
                  <th scope="col">
                    <span class="sr-only">{v.t('account.revoke')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {d.tokens.map((t) => (
                  <tr>
                    <TokenCells v={v} t={t} />
                    <td>
                      {t.revoked_at ? (
                        <span class="muted">{v.t('account.revoked')}</span>
                      ) : (
                        <form method="post" action={`/account/tokens/${t.id}/revoke`}>
                          <button class="btn btn-small" type="submit">
                            {v.t('account.revoke')}
                          </button>
                        </form>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {d.require2fa && !d.totpEnabled ? (
          <p class="muted">{v.t('account.tokensNeed2fa')}</p>
        ) : (
          <form method="post" action="/account/tokens" class="form">
            <Field id="token-name" label={v.t('account.tokenName')} required>
              <input id="token-name" name="name" required maxlength={100} />
            </Field>
            <Field id="token-scope" label={v.t('account.tokenScope')}>
              <select id="token-scope" name="scope">
                <option value="read">{v.t('account.scopeRead')}</option>
                {/* pushing mentions takes a responder: a viewer's ingest token could never work */}
                {d.role === 'viewer' ? null : (
                  <option value="ingest">{v.t('account.scopeIngest')}</option>
                )}
              </select>
            </Field>
            <button class="btn" type="submit">
              {v.t('account.createToken')}
            </button>
          </form>
        )}
      </section>
    </Layout>
  )
}

export function EnrolPage(props: {
  v: ViewCtx
  secret: string
  qr: string
  error?: string
  recoveryCodes?: string[]
  /** an administrator made two-factor mandatory: why every page led here */
  required?: boolean
  /** where to go once enrolled */
  next?: string
}) {
  const { v } = props
  if (props.recoveryCodes)
    return (
      <Layout v={v} title={v.t('account.twoFactor')}>
        <div class="narrow">
          <h1>{v.t('account.twoFactorDone')}</h1>
          <p>{v.t('account.recoveryHelp')}</p>
          <ul class="recovery-codes" id="recovery-codes">
            {props.recoveryCodes.map((c) => (
              <li>
                <code>{c}</code>
              </li>
            ))}
          </ul>
          <a class="btn btn-primary" href={props.next ?? '/account'}>
            {v.t('account.continue')}
          </a>
        </div>
      </Layout>
    )
  return (
    <Layout v={v} title={v.t('account.twoFactor')}>
      <div class="narrow">
        <h1>{v.t('account.twoFactorEnable')}</h1>
        {props.required ? (
          <div class="alert" role="status" id="enrol-required" tabindex={-1} autofocus>
            {v.t('account.twoFactorRequired')}
          </div>
        ) : null}
        <ol>
          <li>{v.t('account.enrolStep1')}</li>
          <li>{v.t('account.enrolStep2')}</li>
        </ol>
        <img src={props.qr} alt={v.t('account.qrAlt')} width={200} height={200} class="qr" />
        <p>
          {v.t('account.secretText')} <code id="totp-secret">{props.secret}</code>
        </p>
        {props.error ? (
          <div class="alert alert-error" role="alert" id="enrol-error">
            {props.error}
          </div>
        ) : null}
        <form method="post" action="/account/2fa" class="card form">
          {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
          <Field id="enrol-code" label={v.t('access.code')} required>
            <input
              id="enrol-code"
              name="code"
              inputmode="numeric"
              autocomplete="one-time-code"
              required
              pattern="[0-9 ]{6,7}"
              aria-describedby={props.error ? 'enrol-error' : undefined}
              aria-invalid={props.error ? 'true' : undefined}
            />
          </Field>
          <button class="btn btn-primary" type="submit">
            {v.t('access.verify')}
          </button>
        </form>
      </div>
    </Layout>
  )
}
