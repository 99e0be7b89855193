// Keyboard focus must be visible to people with low vision: the ring contrasts at least 3:1
// with what it sits on (WCAG 1.4.11, 2.4.13), and it survives forced-colours mode (Windows high
// contrast drops box-shadows, so the ring cannot be a box-shadow alone over 'outline: none').
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const css = readFileSync(new URL('../../views/static/app.css', import.meta.url), 'utf8')

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
  const lin = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}
export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p)
  return (x + 0.05) / (y + 0.05)
}
const variable = (name: string) => css.match(new RegExp(`${name}:\\s*([^;]+);`))![1].trim()
/** The colours a value names, custom properties resolved. */
const hexes = (s: string): string[] =>
  s.replace(/var\((--[\w-]+)\)/g, (_, name: string) => variable(name)).match(/#[0-9a-f]{6}/gi) ?? []
/** The declarations of the first rule whose selector list contains `selector`. */
function rule(selector: string): string {
  const at = css.indexOf(selector)
  expect(at).toBeGreaterThan(-1)
  return css.slice(css.indexOf('{', at) + 1, css.indexOf('}', at))
}

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
