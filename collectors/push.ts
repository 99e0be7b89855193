// Push sources: mentions sent to POST /api/ingest by tools we don't poll (Zapier, n8n, an internal
// tool, a social-media suite). Vigie never fetches anything for them; the source row carries their
// name, brand scope and health like any other.
import { z } from 'zod'
import { CollectorError } from './http'
import { defineCollector } from './types'

export default defineCollector({
  id: 'push',
  label: 'Push (API)',
  description: {
    en: 'Mentions sent to Vigie by another tool through POST /api/ingest with an ingest token. Nothing is fetched.',
    fr: 'Mentions envoyées à Vigie par un autre outil via POST /api/ingest avec un jeton « ingest ». Rien n’est interrogé.',
  },
  schema: z.object({}).strict(),
  fields: [],
  defaultInterval: 24 * 3600,
  usesBrandQuery: false,
  pushOnly: true,
  async collect() {
    throw new CollectorError(
      'config',
      'push sources receive mentions through POST /api/ingest; there is nothing to poll',
    )
  },
})
