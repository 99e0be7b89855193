// The audit log (admins): newest first, paged by id.
import type { AuditEntry } from '../../db/schema-access'
import { FilterSelect } from '../components'
import { fr, isKey, type Dict } from '../i18n/fr'
import { Layout } from '../layout'
import type { ViewCtx } from '../view-context'

export interface AuditQuery {
  action?: string
  /** a user id, or 'none' for entries no account made */
  person?: string
  outcome?: string
  from?: string
  to?: string
}

const ACT = 'audit.act.'
/** every labelled action (a test keeps every recordable action labelled) */
const ACTIONS = Object.keys(fr)
  .filter((k) => k.startsWith(ACT))
  .map((k) => k.slice(ACT.length))

export function AuditPage(props: {
  v: ViewCtx
  entries: AuditEntry[]
  older?: number
  query: AuditQuery
  /** everyone with an account, by id: the person filter, and the people details name by id */
  people: Map<number, string>
}) {
  const { v, query: q } = props
  const all = v.t('common.all')
  const actions = ACTIONS.map((a) => [a, v.t(`${ACT}${a}` as keyof Dict)] as [string, string]).sort(
    (a, b) => a[1].localeCompare(b[1], v.locale),
  )
  // a prefix or a key from a link ("auth.") is kept as sent
  if (q.action && !ACTIONS.includes(q.action)) actions.unshift([q.action, `${q.action}…`])
  const olderHref = new URLSearchParams(
    Object.entries({ ...q, before: String(props.older ?? '') }).filter(
      (e): e is [string, string] => !!e[1],
    ),
  ).toString()
  return (
    <Layout v={v} title={v.t('audit.title')}>
      <h1>{v.t('audit.title')}</h1>
      <p class="muted">{v.t('audit.intro')}</p>
      <form method="get" action="/audit" class="filters" role="search">
        <FilterSelect
          id="audit-action"
          name="action"
          label={v.t('audit.action')}
          value={q.action}
          all={all}
          options={actions}
        />
        <FilterSelect
          id="audit-person"
          name="person"
          label={v.t('audit.person')}
          value={q.person}
          all={all}
          options={[
            ...[...props.people]
              .map(([id, name]) => [String(id), name] as [string, string])
              .sort((a, b) => a[1].localeCompare(b[1], v.locale)),
            ['none', v.t('audit.noAccount')],
          ]}
        />
        <FilterSelect
          id="audit-outcome"
          name="outcome"
          label={v.t('audit.outcome')}
          value={q.outcome}
          all={all}
          options={(['ok', 'denied', 'failed'] as const).map((o) => [o, v.t(`audit.outcome.${o}`)])}
        />
        <div class="field">
          <label for="audit-from">{v.t('feed.from')}</label>
          <input id="audit-from" type="date" name="from" value={q.from ?? ''} />
        </div>
        <div class="field">
          <label for="audit-to">{v.t('feed.until')}</label>
          <input id="audit-to" type="date" name="to" value={q.to ?? ''} />
        </div>
        <div class="field actions">
          <button class="btn" type="submit">
            {v.t('common.filter')}
          </button>
        </div>
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
          <a class="btn" href={`/audit?${olderHref}`}>
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
    if (typeof val === 'boolean') return v.t(val ? 'users.yes' : 'users.no')
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
