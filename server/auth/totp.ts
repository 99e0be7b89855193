// TOTP two-factor (RFC 6238, SHA-1, 6 digits, 30 s) through otpauth; the clock is passed in so
// tests pin it. A code is accepted one step either side to absorb phone clock drift.
import * as OTPAuth from 'otpauth'
import QRCode from 'qrcode'

export function newTotpSecret(): string {
  return new OTPAuth.Secret({ size: 20 }).base32
}

function totp(secret: string, label = 'Vigie') {
  return new OTPAuth.TOTP({
    issuer: 'Vigie',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    secret: OTPAuth.Secret.fromBase32(secret),
  })
}

export function totpCode(secret: string, now: Date): string {
  return totp(secret).generate({ timestamp: now.getTime() })
}

export function verifyTotp(secret: string, code: string, now: Date): boolean {
  return totpStep(secret, code, now) !== null
}

/**
 * The time step (30 s counter) the code belongs to, or null if it is not valid now. Callers keep
 * the last accepted step and refuse steps at or before it, so a seen code cannot be replayed.
 */
export function totpStep(secret: string, code: string, now: Date): number | null {
  const clean = code.replace(/\s+/g, '')
  if (!/^\d{6}$/.test(clean)) return null
  const delta = totp(secret).validate({ token: clean, timestamp: now.getTime(), window: 1 })
  return delta === null ? null : Math.floor(now.getTime() / 30_000) + delta
}

export function totpUri(secret: string, email: string): string {
  return totp(secret, email).toString()
}

/** The enrolment QR code as an inline SVG data: URL (the CSP allows img-src data:). */
export async function totpQrDataUrl(secret: string, email: string): Promise<string> {
  const svg = await QRCode.toString(totpUri(secret, email), { type: 'svg', margin: 1 })
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`
}
