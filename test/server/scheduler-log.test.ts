// node-cron's notices go through Vigie's JSON logger (server/scheduler.ts), never as coloured text.
import { describe, expect, it, vi } from 'vitest'
import { createLogger } from '../../server/log'
import { cronLogger } from '../../server/scheduler'

describe('cronLogger', () => {
  it('turns node-cron notices into JSON lines at the right level', () => {
    const lines: string[] = []
    const log = cronLogger(
      createLogger('debug', (l) => lines.push(l)),
      'poll',
    )
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    log.warn('task still running, new execution blocked by overlap prevention!')
    log.warn('missed execution at Sun Nov 22 2026! Possible blocking IO')
    log.error(new Error('boom'))
    expect(warn).not.toHaveBeenCalled()
    warn.mockRestore()
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, string>)
    expect(parsed.map((p) => [p.level, p.job, p.by])).toEqual([
      ['debug', 'poll', 'node-cron'],
      ['warn', 'poll', 'node-cron'],
      ['error', 'poll', 'node-cron'],
    ])
    expect(parsed[2].msg).toBe('boom')
    expect(lines.join('')).not.toContain('\x1b[')
  })
})
