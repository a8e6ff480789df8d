import { spawnSync } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from '../../src/config.ts'

const root = path.resolve(import.meta.dirname, '../..')

describe('configuration', () => {
  it('gives working defaults with nothing set', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({
      PORT: 3000,
      FRONTDESK_ROLE: 'all',
      DEFAULT_TIME_ZONE: 'Asia/Shanghai',
      PUBLIC_BASE_URL: 'http://localhost:3000',
      DEMO_SEED: true,
    })
    expect(config.DATABASE_URL).toBeUndefined()
  })

  it('lists every bad variable at once', () => {
    let error: unknown
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', DEFAULT_TIME_ZONE: 'Mars/Base', FRONTDESK_ROLE: 'cron' })
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(ConfigError)
    const problems = (error as ConfigError).problems.join('\n')
    for (const name of ['PORT', 'DATABASE_URL', 'DEFAULT_TIME_ZONE', 'FRONTDESK_ROLE']) expect(problems).toContain(name)
  })

  it('requires the admin token and master key in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/ADMIN_TOKEN[\s\S]*MASTER_KEY/)
  })

  it('stops start-up with a readable message naming each bad variable and a non-zero exit', () => {
    const result = spawnSync(path.join(root, 'scripts/serve.sh'), [], {
      cwd: root,
      env: { PATH: process.env.PATH, PORT: '-1', REDIS_URL: 'http://nope', MASTER_KEY: 'short' },
      encoding: 'utf8',
      timeout: 30_000,
    })
    expect(result.status).toBe(1)
    expect(result.stderr).toContain('frontdesk cannot start')
    for (const name of ['PORT', 'REDIS_URL', 'MASTER_KEY']) expect(result.stderr).toContain(name)
  })
})
