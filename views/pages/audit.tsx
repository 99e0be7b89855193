// The audit log (admins): newest first, paged by id.
import type { AuditEntry } from '../../db/schema-access'
import { isKey } from '../i18n/fr'
import { Layout } from '../layout'
import type { ViewCtx } from '../view-context'

export function AuditPage(props: {
  v: ViewCtx
  entries: AuditEntry[]
  older?: number
  action?: string
  /** names of the people details refer to by id */
  people?: Map<number, string>
}) {
  const { v } = props
  return (
    <Layout v={v} title={v.t('audit.title')}>
      <h1>{v.t('audit.title')}</h1>
      <p class="muted">{v.t('audit.intro')}</p>
      <form method="get" action="/audit" class="inline-form">
        <div class="field">
          <label for="audit-action">{v.t('audit.action')}</label>
          <input
            id="audit-action"
            name="action"
            value={props.action ?? ''}
            placeholder="auth. / users. / privacy."
          />
        </div>
        <button class="btn" type="submit">
          {v.t('common.filter')}
        </button>
      </form>
      {props.entries.length ? (
        <div class="table-scroll">
          <table class="table" id="audit">
            <thead>
              <tr>
                <th scope="col">{v.t('audit.at')}</th>
                <th scope="col">{v.t('audit.actor')}</th>
                <th scope="col">{v.t('audit.action')}</th>
                <th scope="col">{v.t('audit.outcome')}</th>
                <th scope="col">{v.t('audit.detail')}</th>
              </tr>
            </thead>
            <tbody>
              {props.entries.map((e) => {
                const act = `audit.act.${e.action}`
                const outcome = `audit.outcome.${e.outcome}`
                return (
                  <tr class={`audit-${e.outcome}`}>
                    <td class="nowrap">{v.fmt.dateTime(e.at)}</td>
                    <td>
                      {/* whole, the IP below it: the table scrolls on a phone rather than cut an
                      e-mail address mid-word */}
                      <span class="nowrap">{e.actor}</span>
                      {e.ip ? (
                        <>
                          <br />
                          <span class="small muted">{e.ip}</span>
                        </>
                      ) : null}
                    </td>
                    <td>
                      {isKey(act) ? (
                        <>
                          {v.t(act)} <code class="small muted">{e.action}</code>
                        </>
                      ) : (
                        <code>{e.action}</code>
                      )}
                      {e.path ? (
                        <span class="small muted">
                          {' '}
                          {e.method} {e.path}
                        </span>
                      ) : null}
                    </td>
                    <td>{isKey(outcome) ? v.t(outcome) : e.outcome}</td>
                    <td>
                      <AuditDetail v={v} detail={e.detail} people={props.people} />
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      ) : (
        <p class="card empty">{v.t('audit.none')}</p>
      )}
      {props.older ? (
        <p>
          <a
            class="btn"
            href={`/audit?before=${props.older}${props.action ? `&action=${encodeURIComponent(props.action)}` : ''}`}
          >
            {v.t('audit.older')}
          </a>
        </p>
      ) : null}
    </Layout>
  )
}

const ROLE_KEYS = new Set(['role', 'from', 'to', 'need'])

/**
 * "personne : Paul Martin · avant : Répondant · après : Lecteur" rather than raw JSON: keys and
 * roles in the page's language, people by name, empty values left out (the status of a redirect
 * says nothing either).
 */
function AuditDetail(props: { v: ViewCtx; detail: string; people?: Map<number, string> }) {
  const { v } = props
  let d: Record<string, unknown>
  try {
    d = JSON.parse(props.detail) as Record<string, unknown>
  } catch {
    return <code class="small">{props.detail}</code>
  }
  const shown = (k: string, val: unknown): string => {
    if (k === 'userId' && typeof val === 'number') return props.people?.get(val) ?? `#${val}`
    if (ROLE_KEYS.has(k) && typeof val === 'string' && isKey(`users.role.${val}`))
      return v.t(`users.role.${val}` as 'users.role.admin')
    return typeof val === 'object' ? JSON.stringify(val) : String(val)
  }
  const parts = Object.entries(d)
    .filter(
      ([k, val]) =>
        val !== undefined &&
        val !== null &&
        val !== '' &&
        !(Array.isArray(val) && !val.length) &&
        !(k === 'status' && val === 303),
    )
    .map(([k, val]) => {
      const key = `audit.key.${k}`
      return v.t('audit.pair', {
        key: isKey(key) ? v.t(key as 'audit.key.userId') : k,
        value: shown(k, val),
      })
    })
  return parts.length ? <span class="small">{parts.join(' · ')}</span> : null
}
