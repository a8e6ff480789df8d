import { mkdtempSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createSchema, deleteRedisPrefix, dropSchema, testDatabaseUrl, testRedisUrl, uniqueName } from '../support/services.ts'
import { startFrontdesk, waitForStatus } from '../support/process.ts'

const dataDir = mkdtempSync(path.join(tmpdir(), 'frontdesk-start-'))
const schema = uniqueName('start')
const prefix = uniqueName('fdtest')
await createSchema(schema)

afterAll(async () => {
  rmSync(dataDir, { recursive: true, force: true })
  await dropSchema(schema)
  await deleteRedisPrefix(prefix)
})

describe('starting frontdesk as a process', () => {
  it('comes up on embedded PGlite with no database configured, keeps its data, and stops on SIGTERM', async () => {
    const env = { DATA_DIR: dataDir, REDIS_URL: testRedisUrl, REDIS_PREFIX: prefix, DEMO_SEED: 'false' }
    const first = await startFrontdesk(env)
    try {
      const ready = await waitForStatus(`${first.baseUrl}/readyz`, 200, 90_000)
      expect(await ready.json()).toEqual({ ready: true, database: 'ok', redis: 'ok' })
      expect(first.output()).toContain('embedded PGlite')
      expect(first.output()).toContain('/admin')
    } finally {
      expect(await first.stop()).toBe(0)
    }
    expect(existsSync(path.join(dataDir, 'pglite'))).toBe(true)
    expect(existsSync(path.join(dataDir, 'local-secrets.json'))).toBe(true)

    // A restart reopens the same data directory without reapplying migrations.
    const second = await startFrontdesk(env)
    try {
      await waitForStatus(`${second.baseUrl}/readyz`, 200, 90_000)
      expect(second.output()).not.toContain('applied database migrations')
    } finally {
      expect(await second.stop()).toBe(0)
    }
  }, 240_000)

  it('comes up on PostgreSQL when DATABASE_URL is set', async () => {
    const url = `${testDatabaseUrl}?schema=${schema}`
    const running = await startFrontdesk({ DATABASE_URL: url, DATA_DIR: dataDir, REDIS_URL: testRedisUrl, REDIS_PREFIX: prefix, DEMO_SEED: 'false' })
    try {
      await waitForStatus(`${running.baseUrl}/readyz`, 200, 60_000)
      expect(running.output()).toContain('PostgreSQL')
    } finally {
      expect(await running.stop()).toBe(0)
    }
  }, 120_000)
})
