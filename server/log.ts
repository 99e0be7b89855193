// A tiny levelled logger writing one JSON line per event to stderr (journald/docker friendly).
import type { LogLevel } from './config'

export type Logger = Record<
  'debug' | 'info' | 'warn' | 'error',
  (msg: string, extra?: Record<string, unknown>) => void
>

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 }

export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (l) => process.stderr.write(l + '\n'),
): Logger {
  const make =
    (lvl: Exclude<LogLevel, 'silent'>) => (msg: string, extra?: Record<string, unknown>) => {
      if (order[lvl] < order[level]) return
      write(JSON.stringify({ t: new Date().toISOString(), level: lvl, msg, ...extra }))
    }
  return { debug: make('debug'), info: make('info'), warn: make('warn'), error: make('error') }
}

export const silentLogger: Logger = createLogger('silent')
