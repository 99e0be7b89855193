// Settings errors of a plugin (a collector's or a notifier's zod schema) in the reader's language.
// A schema's own messages are written in both languages with say(en, fr), which packs them into
// the one string zod keeps; zod's generic messages (too short, not a number…) come from its own
// French locale. The English text stays what YAML start-up errors and logs print.
import { z } from 'zod'
import { frenchSpacing, inLocale, type Locale, type T } from '../views/i18n'

const MARK = '\u0001i18n:'

/** A validation message in English and French, for a schema's `error`/`message` option. */
export function say(en: string, fr: string): string {
  return MARK + JSON.stringify({ en, fr })
}

/**
 * The message as the reader should see it (plain messages pass through; French ones, zod's own
 * included, get the catalogue's typography).
 */
export function localize(message: string, locale: Locale): string {
  if (!message.startsWith(MARK)) return locale === 'fr' ? frenchSpacing(message) : message
  try {
    const m = JSON.parse(message.slice(MARK.length)) as { en: string; fr: string }
    return inLocale(m, locale)
  } catch {
    return message
  }
}

const zodFrench = z.locales.fr().localeError

/** safeParse with zod's own messages in the reader's language. */
export function parseIn<S extends z.ZodType>(schema: S, data: unknown, locale: Locale) {
  return schema.safeParse(data, locale === 'fr' ? { error: zodFrench } : undefined)
}

/** The form's field errors (`config.<field>`), the first issue of each field. */
export function configFieldErrors(
  issues: z.core.$ZodIssue[],
  t: T,
  locale: Locale,
): Record<string, string> {
  const errors: Record<string, string> = {}
  for (const issue of issues) {
    const key = `config.${String(issue.path[0] ?? '')}`
    errors[key] ??=
      issue.code === 'invalid_type' && issue.input === undefined
        ? t('common.required')
        : localize(issue.message, locale)
  }
  return errors
}
