// Small shared components: sentiment badge, health badge, form fields with errors.
import type { Child } from 'hono/jsx'
import type { ViewCtx } from './view-context'

export function SentimentBadge(props: {
  v: ViewCtx
  label: string
  scored: boolean
  score?: number
  manual?: boolean
}) {
  const { v } = props
  if (!props.scored && !props.manual)
    return (
      <span class="badge s-unscored" title={v.t('sentiment.unscoredHelp')}>
        {v.t('sentiment.unscored')}
      </span>
    )
  const label = props.label as 'positive' | 'neutral' | 'negative'
  return (
    <span
      class={`badge s-${label}`}
      title={props.score !== undefined ? `score ${props.score}` : undefined}
    >
      {v.t(`sentiment.${label}`)}
      {props.manual ? ' ✎' : ''}
    </span>
  )
}

export function HealthBadge(props: {
  v: ViewCtx
  health: 'ok' | 'pending' | 'slowed' | 'failing' | 'paused'
}) {
  return <span class={`badge h-${props.health}`}>{props.v.t(`health.${props.health}`)}</span>
}

export type FieldErrors = Record<string, string>

export function Field(props: {
  id: string
  label: string
  error?: string
  help?: string
  required?: boolean
  children: Child
}) {
  const describedBy = [props.help ? `${props.id}-help` : '', props.error ? `${props.id}-error` : '']
    .filter(Boolean)
    .join(' ')
  return (
    <div
      class={`field${props.error ? ' has-error' : ''}`}
      data-described-by={describedBy || undefined}
    >
      <label for={props.id}>
        {props.label}
        {props.required ? <span aria-hidden="true"> *</span> : null}
      </label>
      {props.children}
      {props.help ? (
        <p class="help" id={`${props.id}-help`}>
          {props.help}
        </p>
      ) : null}
      {props.error ? (
        <p class="error" id={`${props.id}-error`} role="alert">
          {props.error}
        </p>
      ) : null}
    </div>
  )
}

export function ErrorSummary(props: { v: ViewCtx; errors: FieldErrors }) {
  if (!Object.keys(props.errors).length) return null
  return (
    <div class="alert alert-error" role="alert">
      {props.v.t('common.fixErrors')}
    </div>
  )
}
