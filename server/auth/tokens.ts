// Random secrets (session cookies, API tokens, setup links, recovery codes) and their storage
// hash. Only the sha256 is kept: these are high-entropy, so a slow hash adds nothing.
import { createHash, randomBytes } from 'node:crypto'

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url')
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('base64url')
}

/** API tokens carry a recognizable prefix (secret scanners, support). */
export function newApiToken(): string {
  return `vigie_${randomToken(32)}`
}

/** Ten recovery codes like "k3f9-x2mq-7hta", easy to type. */
export function newRecoveryCodes(count = 10): string[] {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789'
  return Array.from({ length: count }, () => {
    const b = randomBytes(12)
    const chars = Array.from(b, (x) => alphabet[x % alphabet.length]).join('')
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`
  })
}

export function normalizeRecoveryCode(code: string): string {
  return code.trim().toLowerCase().replace(/\s+/g, '')
}
