import { readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { collectors } from '../../collectors/index'
import { configDefaults } from '../../collectors/shared'

const files = readdirSync(new URL('../../collectors/', import.meta.url))
  .filter((f) => f.endsWith('.ts') && !['index.ts', 'types.ts', 'http.ts', 'shared.ts'].includes(f))
  .map((f) => f.replace(/\.ts$/, ''))

describe('collector registry', () => {
  it('registers every collector file under its file name', () => {
    expect([...collectors.keys()].sort()).toEqual(files.sort())
  })

  for (const c of collectors.values()) {
    it(`${c.id}: fields match the strict schema, with en/fr labels and secrets as secret`, () => {
      expect(c.schema).toBeInstanceOf(z.ZodObject)
      const shape = (c.schema as unknown as z.ZodObject).shape
      for (const f of c.fields) {
        expect(Object.keys(shape), `${c.id}.${f.name}`).toContain(f.name)
        expect(f.label.en && f.label.fr).toBeTruthy()
        if (f.help) expect(f.help.en && f.help.fr).toBeTruthy()
        if (/token|secret|password|apiKey|^key$/i.test(f.name))
          expect(f.type, f.name).toBe('secret')
      }
      // Unknown keys are refused (a typo in YAML config must not pass silently).
      expect(c.schema.safeParse({ ...validExample(c.id), nope: 1 }).success).toBe(false)
      expect(c.schema.safeParse(validExample(c.id)).success).toBe(true)
      expect(c.description.en && c.description.fr).toBeTruthy()
      expect(c.defaultInterval).toBeGreaterThanOrEqual(60)
      // The new-source form starts from the schema's defaults: each one is an accepted value
      // (a select's option, when the field is a menu).
      const defaults = configDefaults(c.schema)
      for (const [name, value] of Object.entries(defaults)) {
        const f = c.fields.find((x) => x.name === name)
        if (f?.options) expect(f.options.map((o) => o.value)).toContain(value)
      }
    })
  }

  it('reads the defaults a new source form starts with from the schemas', () => {
    const defaults = (id: string) => configDefaults(collectors.get(id)!.schema)
    expect(defaults('google-news')).toEqual({ edition: 'fr-FR', window: '1d' })
    expect(defaults('bluesky')).toEqual({ mode: 'search' })
    expect(defaults('youtube')).toEqual({ mode: 'feed', dailyQuota: '10000' })
    expect(defaults('mastodon')).toEqual({ search: 'false' })
    expect(defaults('rss')).toEqual({}) // a required URL has no default
  })
})

function validExample(id: string): Record<string, unknown> {
  switch (id) {
    case 'rss':
    case 'google-alerts':
      return { url: 'https://example.com/feed' }
    case 'app-store':
      return { appId: '1234567890' }
    case 'youtube':
      return { channelId: 'UCaCmEcLoUdAcMeClOuDfR01' }
    case 'bluesky':
      return { mode: 'jetstream' }
    default:
      return {}
  }
}
