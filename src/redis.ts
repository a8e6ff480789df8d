import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { Redis } from 'ioredis'
import type { Config } from './config.ts'
import { freePort } from './free-port.ts'

export class RedisUnavailableError extends Error {}

/** The Redis this process uses: a URL (or a unix socket path, which ioredis and BullMQ accept). */
export interface RedisChoice {
  url: string
  /** Where it is, for start-up lines: never holds a password. */
  description: string
  /** Stops the redis-server this process started; does nothing for a Redis someone else runs. */
  stop(): Promise<void>
}

const notOurs = async () => {}

/**
 * REDIS_URL set: that Redis, or a clear error. Unset: the machine's Redis if one answers at
 * LOCAL_REDIS_URL, else a redis-server of our own under DATA_DIR/redis, which lives exactly as
 * long as this process (a child, not a daemon), else the command that installs one.
 */
export async function ensureRedis(config: Pick<Config, 'REDIS_URL' | 'LOCAL_REDIS_URL' | 'DATA_DIR'>, log: (msg: string) => void): Promise<RedisChoice> {
  if (config.REDIS_URL) {
    if (await answers(config.REDIS_URL)) return { url: config.REDIS_URL, description: redactUrl(config.REDIS_URL), stop: notOurs }
    throw new RedisUnavailableError(`Redis does not answer at REDIS_URL (${redactUrl(config.REDIS_URL)}).`)
  }
  if (await answers(config.LOCAL_REDIS_URL)) return { url: config.LOCAL_REDIS_URL, description: redactUrl(config.LOCAL_REDIS_URL), stop: notOurs }
  return startOwnRedis(path.resolve(config.DATA_DIR, 'redis'), config.LOCAL_REDIS_URL, log)
}

async function startOwnRedis(dir: string, localUrl: string, log: (msg: string) => void): Promise<RedisChoice> {
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  const socket = path.join(dir, 'redis.sock')
  // Unix socket paths are limited to about 104 bytes; a deep data directory falls back to a free loopback port.
  const useSocket = Buffer.byteLength(socket) <= 100
  if (useSocket && (await answers(socket))) {
    // Left over from a run that could not stop it (only where the OS cannot tie it to us): adopt it.
    log(`Using the redis-server already running in ${dir}`)
    return { url: socket, description: `redis-server in ${dir} (unix socket)`, stop: notOurs }
  }
  if (!redisServerInstalled()) {
    throw new RedisUnavailableError(
      `Nothing answers at ${redactUrl(localUrl)} and no redis-server is installed. Install it with \`sudo apt-get install -y redis-server\` (Debian/Ubuntu) or \`brew install redis\` (macOS), or set REDIS_URL.`,
    )
  }
  const port = useSocket ? 0 : await freePort()
  const url = useSocket ? socket : `redis://127.0.0.1:${port}`
  const logFile = path.join(dir, 'redis.log')
  const args = [
    '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--daemonize', 'no',
    '--logfile', logFile, '--pidfile', path.join(dir, 'redis.pid'),
    ...(useSocket ? ['--unixsocket', socket, '--unixsocketperm', '700'] : []),
  ]
  log(`Starting a local redis-server with its data in ${dir}`)
  const child = spawnTiedToUs('redis-server', args)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let gone = false
  void exited.then(() => (gone = true))
  // Whatever way this process ends, the redis-server goes with it (SIGTERM: it saves and quits).
  const killOnExit = () => child.kill('SIGTERM')
  process.once('exit', killOnExit)

  for (let i = 0; i < 100 && !gone; i++) {
    if (await answers(url)) {
      return {
        url,
        description: `redis-server in ${dir} (${useSocket ? 'unix socket' : `port ${port}`}, pid ${child.pid})`,
        async stop() {
          process.removeListener('exit', killOnExit)
          if (gone) return
          child.kill('SIGTERM')
          const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
          await exited
          clearTimeout(timer)
        },
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  child.kill('SIGKILL')
  throw new RedisUnavailableError(`Started redis-server but it does not answer; see ${logFile}.`)
}

/**
 * A separate process group keeps Ctrl-C in a terminal from stopping Redis before the workers
 * finish; on Linux `setpriv --pdeathsig` also stops it if this process is killed outright.
 */
function spawnTiedToUs(command: string, args: string[]): ChildProcess {
  const tie = process.platform === 'linux' && canSetParentDeathSignal() ? ['setpriv', '--pdeathsig', 'TERM', command] : [command]
  return spawn(tie[0], [...tie.slice(1), ...args], { stdio: 'ignore', detached: true })
}

function canSetParentDeathSignal(): boolean {
  const probe = spawnSync('setpriv', ['--pdeathsig', 'TERM', 'true'], { stdio: 'ignore' })
  return !probe.error && probe.status === 0
}

function redisServerInstalled(): boolean {
  const found = spawnSync('redis-server', ['--version'], { stdio: 'ignore' })
  return !found.error && found.status === 0
}

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

/** Hides the password in a redis:// or postgres:// URL for messages; a socket path is shown as is. */
export function redactUrl(url: string): string {
  if (url.startsWith('/')) return url
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return '(unparseable URL)'
  }
}
