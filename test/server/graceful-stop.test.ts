// Stopping Vigie (SIGTERM, server/start.ts stop()): no new connection is taken, and a request in
// flight, here a push still being uploaded, finishes and is answered instead of being cut.
import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { insertBrand } from '../../db/brands'
import { createApiToken } from '../../db/tokens'
import { insertUser } from '../../db/users'
import { parseConfig } from '../../server/config'
import { silentLogger } from '../../server/log'
import { start } from '../../server/start'

describe('graceful stop', () => {
  it('answers a push still uploading when asked to stop, then refuses new connections', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-stop-'))
    const config = parseConfig({ PORT: '0', DATABASE_URL: join(dir, 'v.db') })
    const running = await start(config, {
      log: silentLogger,
      schedule: false,
      env: { VIGIE_SECRET_KEY: 'ab'.repeat(32) },
    })
    try {
      const now = new Date()
      const db = running.ctx.db
      await insertBrand(db, { name: 'Acme', query: 'Acme' }, now)
      const user = await insertUser(db, { email: 'r@x.example', role: 'responder' }, now)
      const { token } = await createApiToken(db, user.id, { name: 't', scope: 'ingest' }, now)
      const body = JSON.stringify({ items: [{ id: '1', text: 'Acme '.repeat(20_000) }] })
      const half = Math.floor(body.length / 2)
      const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = request(
          `${running.url}/api/ingest`,
          {
            method: 'POST',
            headers: {
              authorization: `Bearer ${token}`,
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
            },
          },
          (res) => {
            let text = ''
            res.on('data', (d) => (text += d))
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
          },
        )
        req.on('error', reject)
        req.write(body.slice(0, half))
        setTimeout(() => req.end(body.slice(half)), 300)
      })
      await new Promise((r) => setTimeout(r, 100))
      const stopped = running.stop()
      const res = await answered
      expect(res.status).toBe(200)
      expect(JSON.parse(res.text)).toMatchObject({ stored: 1 })
      await stopped
      await expect(fetch(`${running.url}/healthz`)).rejects.toThrow()
    } finally {
      await running.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
