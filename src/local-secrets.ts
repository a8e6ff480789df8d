import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import type { Config } from './config.ts'

interface LocalSecrets {
  ADMIN_TOKEN: string
  MASTER_KEY: string
}

/**
 * Outside production, a missing admin token or master key is generated once and kept in
 * DATA_DIR/local-secrets.json (mode 0600), so `npm start` needs no setup and restarts keep working.
 * Production refuses to start without them (see config.ts).
 */
export function withLocalSecrets(config: Config): { config: Config; file?: string } {
  if (config.ADMIN_TOKEN && config.MASTER_KEY) return { config }
  const file = path.resolve(config.DATA_DIR, 'local-secrets.json')
  let stored: LocalSecrets
  if (existsSync(file)) {
    stored = JSON.parse(readFileSync(file, 'utf8')) as LocalSecrets
  } else {
    stored = { ADMIN_TOKEN: randomBytes(24).toString('base64url'), MASTER_KEY: randomBytes(32).toString('hex') }
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 })
    chmodSync(file, 0o600)
  }
  return {
    config: { ...config, ADMIN_TOKEN: config.ADMIN_TOKEN ?? stored.ADMIN_TOKEN, MASTER_KEY: config.MASTER_KEY ?? stored.MASTER_KEY },
    file,
  }
}
