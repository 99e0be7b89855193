// Text contrast computed from the stylesheet, for what axe only meets on some data: the count on
// each recurring-word chip of the dashboard (WCAG 1.4.3: 4.5:1 for text this small).
import { describe, expect, it } from 'vitest'
import { blend, contrast, declaration, hexes, rule } from '../helpers/css'

describe('text contrast', () => {
  it('keeps the count of a recurring-word chip at 4.5:1 or more', () => {
    const chip = rule('.chips a {')
    const [fg] = hexes(declaration(chip, 'color')!)
    const [bg] = hexes(declaration(chip, 'background')!)
    const opacity = Number(declaration(rule('.chip-n {'), 'opacity') ?? 1)
    expect(contrast(blend(fg, bg, opacity), bg)).toBeGreaterThanOrEqual(4.5)
  })
})
