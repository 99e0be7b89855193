// Sign-in throttling with a growing delay, per account and per IP: after a few free failures each
// further failure doubles the wait (capped). A success clears the account's key. In memory: a
// restart forgives, which is acceptable for a single-process, self-hosted tool.
const FREE_FAILURES = 3
const BASE_DELAY_MS = 1000
const MAX_DELAY_MS = 15 * 60 * 1000
const FORGET_AFTER_MS = 24 * 60 * 60 * 1000

interface Entry {
  failures: number
  lastAt: number
}

export class LoginThrottle {
  private entries = new Map<string, Entry>()

  /** Delay imposed after `failures` consecutive failures. */
  static delayFor(failures: number): number {
    if (failures < FREE_FAILURES) return 0
    return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (failures - FREE_FAILURES))
  }

  /** Milliseconds to wait before another attempt on any of these keys (0: go ahead). */
  waitMs(keys: string[], now: Date): number {
    let wait = 0
    for (const k of keys) {
      const e = this.entries.get(k)
      if (!e) continue
      if (now.getTime() - e.lastAt > FORGET_AFTER_MS) {
        this.entries.delete(k)
        continue
      }
      const until = e.lastAt + LoginThrottle.delayFor(e.failures)
      wait = Math.max(wait, until - now.getTime())
    }
    return Math.max(0, wait)
  }

  fail(keys: string[], now: Date): void {
    for (const k of keys) {
      const e = this.entries.get(k)
      this.entries.set(k, { failures: (e?.failures ?? 0) + 1, lastAt: now.getTime() })
    }
    if (this.entries.size > 50_000) this.entries.clear() // bounded under a spray attack
  }

  succeed(keys: string[]): void {
    for (const k of keys) this.entries.delete(k)
  }
}

export const accountKey = (email: string) => `acct:${email.trim().toLowerCase()}`
export const ipKey = (ip: string) => `ip:${ip}`
