// People (admins only): roles, disabled accounts, two-factor status, invitations, and the switch
// that makes two-factor mandatory for everyone.
import type { ApiToken, User } from '../../db/schema-access'
import { isPendingInvite, ROLES } from '../../db/users'
import { ErrorSummary, Field, TokenCells, type FieldErrors } from '../components'
import { Layout } from '../layout'
import type { ViewCtx } from '../view-context'

export function UsersPage(props: {
  v: ViewCtx
  users: User[]
  meId: number
  require2fa: boolean
  inviteLink?: { email: string; url: string }
  values?: { email: string; name: string; role: string }
  errors?: FieldErrors
  notice?: string
  /** every active API token, with its owner (an admin revokes a leaked one) */
  tokens?: (ApiToken & { owner_email: string; owner_name: string })[]
}) {
  const { v } = props
  const errors = props.errors ?? {}
  const values = props.values ?? { email: '', name: '', role: 'viewer' }
  return (
    <Layout v={v} title={v.t('users.title')}>
      <h1>{v.t('users.title')}</h1>
      <p class="muted">{v.t('users.intro')}</p>
      {props.notice ? (
        <div class="alert alert-error" role="alert" tabindex={-1} autofocus>
          {props.notice}
        </div>
      ) : null}
      {props.inviteLink ? (
        <div class="alert" role="status" tabindex={-1} autofocus>
          <p>{v.t('users.inviteShownOnce', { email: props.inviteLink.email })}</p>
          <p>
            <code id="invite-link">{props.inviteLink.url}</code>
          </p>
        </div>
      ) : null}
      <div class="table-scroll">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{v.t('access.email')}</th>
              <th scope="col">{v.t('users.roleLabel')}</th>
              <th scope="col">{v.t('users.twoFactor')}</th>
              <th scope="col">{v.t('users.lastSignIn')}</th>
              <th scope="col">{v.t('users.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {props.users.map((u) => (
              <tr class={u.disabled ? 'muted' : undefined}>
                <td>
                  {/* whole, as in the audit log: 'claire.dubois-' over 'martin@…' reads as two */}
                  <span class="nowrap">{u.email}</span>
                  <br />
                  <span class="small muted">{u.name}</span>
                  {u.disabled ? <strong class="badge">{v.t('users.disabled')}</strong> : null}
                  {isPendingInvite(u) ? (
                    <strong class="badge badge-pending">{v.t('users.invited')}</strong>
                  ) : null}
                </td>
                <td>
                  <form method="post" action={`/users/${u.id}/role`} class="inline-form">
                    <label class="sr-only" for={`role-${u.id}`}>
                      {v.t('users.roleLabel')}
                    </label>
                    <select id={`role-${u.id}`} name="role" disabled={u.id === props.meId}>
                      {ROLES.map((r) => (
                        <option value={r} selected={u.role === r}>
                          {v.t(`users.role.${r}`)}
                        </option>
                      ))}
                    </select>
                    {u.id === props.meId ? null : (
                      <button class="btn btn-small" type="submit">
                        {v.t('common.save')}
                      </button>
                    )}
                  </form>
                </td>
                {/* yes/no: "désactivée" here read as the account's state, beside "Désactiver" */}
                <td>{u.totp_enabled ? v.t('users.yes') : v.t('users.no')}</td>
                <td>
                  {u.last_sign_in_at
                    ? v.fmt.relative(u.last_sign_in_at, v.now)
                    : v.t('common.never')}
                </td>
                <td>
                  {u.id === props.meId ? (
                    <span class="muted small">{v.t('users.you')}</span>
                  ) : (
                    <div class="row-actions">
                      <form
                        method="post"
                        action={`/users/${u.id}/${u.disabled ? 'enable' : 'disable'}`}
                      >
                        <button
                          class={`btn btn-small${u.disabled ? '' : ' btn-danger'}`}
                          type="submit"
                        >
                          {u.disabled ? v.t('users.enable') : v.t('users.disable')}
                        </button>
                      </form>
                      {isPendingInvite(u) ? (
                        <form method="post" action={`/users/${u.id}/invite`}>
                          <button class="btn btn-small" type="submit">
                            {v.t('users.newInviteLink')}
                          </button>
                        </form>
                      ) : null}
                      {u.totp_enabled ? (
                        <form method="post" action={`/users/${u.id}/reset-2fa`}>
                          <button class="btn btn-small" type="submit">
                            {v.t('users.reset2fa')}
                          </button>
                        </form>
                      ) : null}
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {props.tokens?.length ? (
        <section class="card" aria-labelledby="h-tokens">
          <h2 id="h-tokens">{v.t('users.tokens')}</h2>
          <p class="muted small">{v.t('users.tokensHelp')}</p>
          <div class="table-scroll">
            <table class="table" id="all-tokens">
              <thead>
                <tr>
                  <th scope="col">{v.t('users.tokenOwner')}</th>
                  <th scope="col">{v.t('account.tokenName')}</th>
                  <th scope="col">{v.t('account.tokenScope')}</th>
                  <th scope="col">{v.t('account.lastUsed')}</th>
                  <th scope="col">
                    <span class="sr-only">{v.t('account.revoke')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {props.tokens.map((t) => (
                  <tr>
                    <td>
                      <span class="nowrap">{t.owner_email}</span>
                    </td>
                    <TokenCells v={v} t={t} />
                    <td>
                      <form
                        method="post"
                        action={`/users/tokens/${t.id}/revoke`}
                        data-confirm={v.t('users.revokeConfirm', {
                          name: t.name,
                          owner: t.owner_email,
                        })}
                      >
                        <button class="btn btn-small btn-danger" type="submit">
                          {v.t('account.revoke')}
                        </button>
                      </form>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}

      <section class="card" aria-labelledby="h-invite">
        <h2 id="h-invite">{v.t('users.invite')}</h2>
        <ErrorSummary v={v} errors={errors} />
        <form method="post" action="/users" class="form">
          <Field id="invite-email" label={v.t('access.email')} error={errors.email} required>
            <input id="invite-email" name="email" type="email" required value={values.email} />
          </Field>
          <Field id="invite-name" label={v.t('access.name')}>
            <input id="invite-name" name="name" value={values.name} />
          </Field>
          <Field id="invite-role" label={v.t('users.roleLabel')}>
            <select id="invite-role" name="role">
              {ROLES.map((r) => (
                <option value={r} selected={values.role === r}>
                  {v.t(`users.role.${r}`)}
                </option>
              ))}
            </select>
          </Field>
          <button class="btn btn-primary" type="submit">
            {v.t('users.inviteButton')}
          </button>
        </form>
      </section>

      <section class="card" aria-labelledby="h-require">
        <h2 id="h-require">{v.t('users.require2fa')}</h2>
        <p class="muted">{v.t('users.require2faHelp')}</p>
        <form method="post" action="/users/require-2fa">
          <input type="hidden" name="on" value={props.require2fa ? '0' : '1'} />
          <p id="require-2fa-state">{props.require2fa ? v.t('users.on') : v.t('users.off')}</p>
          <button class="btn" type="submit">
            {props.require2fa ? v.t('users.require2faOff') : v.t('users.require2faOn')}
          </button>
        </form>
      </section>
    </Layout>
  )
}
