import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Redis } from 'ioredis'
import { afterAll, describe, expect, it } from 'vitest'
import { installRedisPrefix, loadConfig } from '../../src/config.ts'
import { freePort, startFrontdesk, waitForStatus, type RunningFrontdesk } from '../support/process.ts'
import { createSchema, deleteRedisPrefix, dropSchema, testDatabaseUrl, testRedisUrl, uniqueName } from '../support/services.ts'
import { waitFor } from '../support/wait.ts'

const schema = uniqueName('ownredis')
await createSchema(schema)
const dataDirs: string[] = []
const newDataDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fd-redis-'))
  dataDirs.push(dir)
  return dir
}
afterAll(async () => {
  await dropSchema(schema)
  for (const dir of dataDirs) {
    await deleteRedisPrefix(installRedisPrefix(dir))
    rmSync(dir, { recursive: true, force: true })
  }
})

/** REDIS_URL is never passed: each install finds its own Redis. */
async function startInstall(dataDir: string, localRedisUrl: string): Promise<RunningFrontdesk> {
  const running = await startFrontdesk({ DATA_DIR: dataDir, LOCAL_REDIS_URL: localRedisUrl, DATABASE_URL: `${testDatabaseUrl}?schema=${schema}`, DEMO_SEED: 'false' })
  try {
    await waitForStatus(`${running.baseUrl}/readyz`, 200, 90_000)
  } catch (error) {
    await running.stop()
    throw new Error(`${(error as Error).message}\n${running.output()}`)
  }
  return running
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function answers(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
  probe.on('error', () => {})
  try {
    await probe.connect()
    return (await probe.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    probe.disconnect()
  }
}

describe('a Redis of its own', () => {
  it('starts redis-server under DATA_DIR when nothing answers, and it is gone after SIGTERM', async () => {
    const dataDir = newDataDir()
    const nothingListens = `redis://127.0.0.1:${await freePort()}`
    const running = await startInstall(dataDir, nothingListens)
    const socket = path.join(dataDir, 'redis', 'redis.sock')
    let pid: number
    try {
      pid = Number(readFileSync(path.join(dataDir, 'redis', 'redis.pid'), 'utf8'))
      expect(alive(pid)).toBe(true)
      expect(await answers(socket)).toBe(true)
      expect(running.output()).toContain(`redis-server in ${path.join(dataDir, 'redis')}`)
      expect(running.output()).toContain(`key prefix ${installRedisPrefix(dataDir)}`)
      expect(existsSync(path.join(dataDir, 'redis', 'appendonlydir'))).toBe(true)
    } finally {
      expect(await running.stop()).toBe(0)
    }
    expect(alive(pid)).toBe(false)
    expect(await answers(socket)).toBe(false)
  }, 120_000)

  it('does not outlive frontdesk when frontdesk is killed outright', async () => {
    const dataDir = newDataDir()
    const running = await startInstall(dataDir, `redis://127.0.0.1:${await freePort()}`)
    const pid = Number(readFileSync(path.join(dataDir, 'redis', 'redis.pid'), 'utf8'))
    running.child.kill('SIGKILL')
    await running.stop()
    await waitFor(() => !alive(pid), { timeoutMs: 15_000, what: 'the redis-server to stop with its parent' })
  }, 120_000)

  it('keeps two installs on the same machine Redis apart by key prefix', async () => {
    const [first, second] = await Promise.all([startInstall(newDataDir(), testRedisUrl), startInstall(newDataDir(), testRedisUrl)])
    try {
      const prefixes = [dataDirs.at(-2)!, dataDirs.at(-1)!].map(installRedisPrefix)
      expect(prefixes[0]).not.toBe(prefixes[1])
      expect(first.output()).toContain(`key prefix ${prefixes[0]}`)
      expect(second.output()).toContain(`key prefix ${prefixes[1]}`)
      // Each install's queues live under its own prefix in the one shared Redis.
      const redis = new Redis(testRedisUrl)
      try {
        for (const prefix of prefixes) {
          await waitFor(async () => (await redis.keys(`${prefix}:maintenance:*`)).length > 0, { what: `queues under ${prefix}` })
        }
      } finally {
        redis.disconnect()
      }
    } finally {
      await Promise.all([first.stop(), second.stop()])
    }
  }, 120_000)

  it('keeps the operator’s prefix when REDIS_URL is set, so every process of a deployment agrees', () => {
    expect(loadConfig({ REDIS_URL: 'redis://redis:6379', DATA_DIR: '/srv/a' }).REDIS_PREFIX).toBe('frontdesk')
    expect(loadConfig({ REDIS_URL: 'redis://redis:6379', DATA_DIR: '/srv/b' }).REDIS_PREFIX).toBe('frontdesk')
    expect(loadConfig({ DATA_DIR: '/srv/a', REDIS_PREFIX: 'mine' }).REDIS_PREFIX).toBe('mine')
    expect(loadConfig({ DATA_DIR: '/srv/a' }).REDIS_PREFIX).toBe(loadConfig({ DATA_DIR: '/srv/a/' }).REDIS_PREFIX)
  })
})
