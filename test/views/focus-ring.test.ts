// Keyboard focus must be visible to people with low vision: the ring contrasts at least 3:1
// with what it sits on (WCAG 1.4.11, 2.4.13), and it survives forced-colours mode (Windows high
// contrast drops box-shadows, so the ring cannot be a box-shadow alone over 'outline: none').
import { describe, expect, it } from 'vitest'
import { contrast, hexes, rule, variable } from '../helpers/css'

describe('the focus ring', () => {
  // what focusable things sit on: a card, the page, the dark header, a primary button
  const backgrounds = {
    card: variable('--card'),
    page: variable('--bg'),
    header: hexes(rule('.top {'))[0],
    'primary button': variable('--accent'),
  }

  it('has a part that contrasts 3:1 with every background it is drawn on', () => {
    const ring = hexes(variable('--focus'))
    for (const [where, bg] of Object.entries(backgrounds)) {
      const best = Math.max(...ring.map((c) => contrast(c, bg)))
      expect(best, `focus ring on ${where} (${bg})`).toBeGreaterThanOrEqual(3)
    }
  })

  it('is still drawn in forced-colours mode', () => {
    const focus = rule('[tabindex]:focus-visible')
    expect(focus).not.toMatch(/outline:\s*none/)
    expect(focus).toMatch(/outline:[^;]*transparent/)
  })

  it('marks the current mention of the feed as clearly (j / k)', () => {
    const [color] = hexes(rule('.mention.current'))
    expect(contrast(color, backgrounds.card)).toBeGreaterThanOrEqual(3)
    expect(contrast(color, backgrounds.page)).toBeGreaterThanOrEqual(3)
  })
})
