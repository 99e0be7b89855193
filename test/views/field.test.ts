// A form field's help and error are read with its control (aria-describedby), and an error marks
// the control invalid; a control that already names its description keeps it.
import { jsx } from 'hono/jsx'
import { describe, expect, it } from 'vitest'
import { Field } from '../../views/components'

const render = (over: { help?: string; error?: string }, control = { id: 'f', name: 'f' }) =>
  String(Field({ id: 'f', label: 'F', ...over, children: jsx('input', control) }))

describe('Field', () => {
  it.each([
    [{}, null, null],
    [{ help: 'aide' }, 'f-help', null],
    [{ error: 'faux' }, 'f-error', 'true'],
    [{ help: 'aide', error: 'faux' }, 'f-help f-error', 'true'],
  ])('%j → aria-describedby %s, aria-invalid %s', (over, describedBy, invalid) => {
    const html = render(over)
    const input = /<input[^>]*>/.exec(html)![0]
    expect(/aria-describedby="([^"]*)"/.exec(input)?.[1] ?? null).toBe(describedBy)
    expect(/aria-invalid="([^"]*)"/.exec(input)?.[1] ?? null).toBe(invalid)
  })

  it('an error saying the same words as the help replaces it; other help stays', () => {
    const same = render({ help: 'At least 16 characters.', error: 'at least 16 characters' })
    expect(same).not.toContain('class="help"')
    expect(same).toContain('aria-describedby="f-error"')
    const more = render({ help: 'IANA name, e.g. Europe/Paris', error: 'Unknown time zone.' })
    expect(more).toContain('IANA name')
  })

  it('leaves a control that names its own description alone', () => {
    const html = render({ help: 'aide' }, {
      id: 'f',
      name: 'f',
      'aria-describedby': 'mine',
    } as never)
    expect(html).toContain('aria-describedby="mine"')
  })
})
