// Plugin settings errors in the reader's language: a schema's own bilingual messages, zod's
// generic ones through its French locale, and English wherever a log or YAML error prints them.
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { collectors } from '../../collectors'
import { configFieldErrors, localize, parseIn, say } from '../../server/field-errors'
import { notifiers } from '../../server/notifiers'
import { translator } from '../../views/i18n'

describe('field errors', () => {
  it.each([
    [say('an address', 'une adresse'), 'fr', 'une adresse'],
    [say('an address', 'une adresse'), 'en', 'an address'],
    ['plain message', 'fr', 'plain message'],
    // French typography, as in the catalogue (zod's French messages say "Trop petit : …")
    [
      say('digits: the id', 'les chiffres après « id »'),
      'fr',
      'les chiffres après «\u00a0id\u00a0»',
    ],
    [say('digits: the id', 'les chiffres après « id »'), 'en', 'digits: the id'],
    ['Trop petit : attendu', 'fr', 'Trop petit\u00a0: attendu'],
    ['Too small: expected', 'en', 'Too small: expected'],
  ] as const)('localize(%j, %s) = %j', (message, locale, expected) => {
    expect(localize(message, locale)).toBe(expected)
  })

  it('says each field once, in French or English, with zod generic messages translated', () => {
    const schema = z.object({
      url: z.url({ error: say('an address', 'une adresse') }),
      secret: z.string().min(16),
      name: z.string(),
    })
    const data = { url: 'nope', secret: 'short' }
    const fr = parseIn(schema, data, 'fr')
    const en = parseIn(schema, data, 'en')
    expect(fr.success || en.success).toBe(false)
    const frErrors = configFieldErrors(fr.error!.issues, translator('fr'), 'fr')
    expect(frErrors['config.url']).toBe('une adresse')
    expect(frErrors['config.secret']).toMatch(/^Trop petit/)
    expect(frErrors['config.name']).toBe(translator('fr')('common.required'))
    const enErrors = configFieldErrors(en.error!.issues, translator('en'), 'en')
    expect(enErrors['config.url']).toBe('an address')
    expect(enErrors['config.secret']).toMatch(/^Too small/)
  })

  it('every collector and notifier message is bilingual and decodes (no raw marker leaks)', () => {
    const bad = { url: 'ftp://x', appId: 'x', country: 'xyz', lang: 'xyz', tags: '<>', secret: 'a' }
    for (const plugin of [...collectors.values(), ...notifiers.values()]) {
      const r = parseIn(plugin.schema as z.ZodType, bad, 'fr')
      if (r.success) continue
      for (const msg of Object.values(configFieldErrors(r.error.issues, translator('fr'), 'fr')))
        expect(msg, plugin.id).not.toContain('\u0001')
    }
  })
})
