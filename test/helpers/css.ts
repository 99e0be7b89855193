// Reading colours out of views/static/app.css, to check contrast the way WCAG computes it.
import { readFileSync } from 'node:fs'

export const css = readFileSync(new URL('../../views/static/app.css', import.meta.url), 'utf8')

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
  const lin = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

/** WCAG contrast ratio of two #rrggbb colours. */
export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p)
  return (x + 0.05) / (y + 0.05)
}

/** `fg` drawn at `opacity` over `bg`, as the browser composites it. */
export function blend(fg: string, bg: string, opacity: number): string {
  const ch = (hex: string, i: number) => parseInt(hex.slice(i, i + 2), 16)
  return (
    '#' +
    [1, 3, 5]
      .map((i) => Math.round(ch(fg, i) * opacity + ch(bg, i) * (1 - opacity)))
      .map((n) => n.toString(16).padStart(2, '0'))
      .join('')
  )
}

export const variable = (name: string) => css.match(new RegExp(`${name}:\\s*([^;]+);`))![1].trim()

/** The colours a value names, custom properties resolved. */
export const hexes = (s: string): string[] =>
  s.replace(/var\((--[\w-]+)\)/g, (_, name: string) => variable(name)).match(/#[0-9a-f]{6}/gi) ?? []

/** The declarations of the first rule whose selector list contains `selector`. */
export function rule(selector: string): string {
  const at = css.indexOf(selector)
  if (at < 0) throw new Error(`no rule for ${selector}`)
  return css.slice(css.indexOf('{', at) + 1, css.indexOf('}', at))
}

/** One declaration's value in a rule's declarations. */
export function declaration(decls: string, property: string): string | undefined {
  return decls.match(new RegExp(`(?:^|[;\\s])${property}:\\s*([^;]+);`))?.[1].trim()
}
