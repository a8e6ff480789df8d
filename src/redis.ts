import { spawn, spawnSync } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { Redis } from 'ioredis'

const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379'

async function answers(url: string): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1500 })
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

export class RedisUnavailableError extends Error {}

/**
 * With REDIS_URL unset: use the local Redis if one answers, else start redis-server with its data in
 * DATA_DIR/redis, else stop with the command that installs it.
 */
export async function ensureRedis(configuredUrl: string | undefined, dataDir: string, log: (msg: string) => void): Promise<string> {
  const url = configuredUrl ?? DEFAULT_REDIS_URL
  if (await answers(url)) return url
  if (configuredUrl) throw new RedisUnavailableError(`Redis does not answer at REDIS_URL (${redactUrl(configuredUrl)}).`)
  const found = spawnSync('redis-server', ['--version'], { stdio: 'ignore' })
  if (found.error || found.status !== 0) {
    throw new RedisUnavailableError(
      'Nothing answers at redis://127.0.0.1:6379 and no redis-server is installed. Install it with `sudo apt-get install -y redis-server` (Debian/Ubuntu) or `brew install redis` (macOS), or set REDIS_URL.',
    )
  }
  const dir = path.resolve(dataDir, 'redis')
  mkdirSync(dir, { recursive: true })
  log(`Starting a local redis-server with its data in ${dir}`)
  const child = spawn(
    'redis-server',
    ['--port', '6379', '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--daemonize', 'yes', '--logfile', path.join(dir, 'redis.log')],
    { stdio: 'ignore' },
  )
  await new Promise((resolve) => child.on('exit', resolve))
  for (let i = 0; i < 50; i++) {
    if (await answers(url)) return url
    await new Promise((r) => setTimeout(r, 100))
  }
  throw new RedisUnavailableError(`Started redis-server but it does not answer; see ${path.join(dir, 'redis.log')}.`)
}

/** Hides the password in a redis:// or postgres:// URL for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return '(unparseable URL)'
  }
}
