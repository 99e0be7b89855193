// At start: can this key read the secrets already stored (webhook addresses, API keys, 2FA
// seeds)? With another key (a database copied without its vigie.key, a new VIGIE_SECRET_KEY),
// every channel would fail "invalid settings" at its first alert, for good, and other processes
// on the same Postgres would see those deliveries given up. One stored secret tried is enough.
import type { Db } from '.'
import { decryptValue, isEncrypted, SecretKeyError } from '../server/secrets'

function firstSealed(configs: { config: string }[]): string | undefined {
  for (const { config } of configs) {
    try {
      const values = Object.values(JSON.parse(config) as Record<string, unknown>)
      const sealed = values.find((x) => isEncrypted(x))
      if (typeof sealed === 'string') return sealed
    } catch {
      // a config nobody can read is reported where it is used
    }
  }
  return undefined
}

export async function checkStoredSecrets(db: Db): Promise<void> {
  const sealed =
    firstSealed(await db.selectFrom('channels').select('config').execute()) ??
    firstSealed(await db.selectFrom('sources').select('config').execute()) ??
    (
      await db
        .selectFrom('users')
        .select('totp_secret')
        .where('totp_secret', 'is not', null)
        .limit(1)
        .executeTakeFirst()
    )?.totp_secret ??
    undefined
  if (!sealed || !isEncrypted(sealed)) return
  try {
    decryptValue(sealed)
  } catch {
    throw new SecretKeyError(
      'the stored secrets (channel addresses, API keys, two-step seeds) were saved with another key: restore the vigie.key file saved with this database, or set VIGIE_SECRET_KEY to the key they were saved with',
    )
  }
}
