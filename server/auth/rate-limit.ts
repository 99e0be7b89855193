// Sign-in throttling with a growing delay, per account and per client address: after a few free
// failures (3 per account, 10 per address) each further failure doubles the wait (capped); a
// success clears the account's count.
// The counts live in the database (db/signin-failures.ts), so the delay holds across a restart and
// across every process sharing one Postgres: a guesser gains nothing by waiting for a deploy or by
// landing on another machine behind the load balancer.
import type { Db } from '../../db'
import { addFailure, clearFailures, failureCounts, pruneFailures } from '../../db/signin-failures'

const FREE_FAILURES = 3
// An office signs in from one address: a few colleagues mistyping their own password must not lock
// each other out, while guessing one account stays at three free tries (its own key).
const FREE_FAILURES_PER_ADDRESS = 10
const BASE_DELAY_MS = 1000
const MAX_DELAY_MS = 15 * 60 * 1000
/** A count left alone this long is forgiven (and pruned by the nightly job). */
export const FORGET_AFTER_MS = 24 * 60 * 60 * 1000

/** Delay imposed after `failures` consecutive failures (`free` of them cost nothing). */
export function delayFor(failures: number, free = FREE_FAILURES): number {
  if (failures < free) return 0
  return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (failures - free))
}

const freeFor = (key: string) => (key.startsWith('ip:') ? FREE_FAILURES_PER_ADDRESS : FREE_FAILURES)

const forgetBefore = (now: Date) => new Date(now.getTime() - FORGET_AFTER_MS)

/** Milliseconds to wait before another attempt on any of these keys (0: go ahead). */
export async function signinWaitMs(db: Db, keys: string[], now: Date): Promise<number> {
  let wait = 0
  for (const e of await failureCounts(db, keys, forgetBefore(now)))
    wait = Math.max(
      wait,
      Date.parse(e.last_at) + delayFor(e.failures, freeFor(e.key)) - now.getTime(),
    )
  return Math.max(0, wait)
}

export function signinFailed(db: Db, keys: string[], now: Date): Promise<void> {
  return addFailure(db, keys, now, forgetBefore(now))
}

export function signinSucceeded(db: Db, keys: string[]): Promise<void> {
  return clearFailures(db, keys)
}

/** Forgets the counts older than a day; the nightly retention job calls it. */
export function pruneSigninFailures(db: Db, now: Date): Promise<number> {
  return pruneFailures(db, forgetBefore(now))
}

export const accountKey = (email: string) => `acct:${email.trim().toLowerCase()}`
export const ipKey = (ip: string) => `ip:${ip}`
