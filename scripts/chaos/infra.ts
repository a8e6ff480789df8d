import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import path from 'node:path'
import pg from 'pg'
import { freePort } from '../../test/support/process.ts'

/**
 * The suite's own PostgreSQL and Redis, in a temporary directory on free ports: faults (stop,
 * restart, FLUSHALL) hit nothing but this run. Everything started here is stopped by `stopAll`,
 * which is also safe to call from an exit handler (synchronous).
 */

export interface Postgres {
  url: string
  stop(): Promise<void>
  start(): Promise<void>
  restart(): Promise<void>
}

export interface RedisServer {
  url: string
  port: number
  stop(): Promise<void>
  start(): Promise<void>
}

const cleanups: (() => void)[] = []
const root = mkdtempSync(path.join(tmpdir(), 'frontdesk-chaos-'))

/** Synchronous on purpose: it must also run from process.on('exit'). Last started, first stopped. */
export function stopAll(): void {
  while (cleanups.length) {
    try {
      cleanups.pop()!()
    } catch {
      // keep going: the rest must still be stopped
    }
  }
  rmSync(root, { recursive: true, force: true })
}

function postgresBinDir(): string {
  const base = '/usr/lib/postgresql'
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(path.join(base, v, 'bin', 'initdb'))) : []
  if (!versions.length) throw new Error('PostgreSQL server binaries not found under /usr/lib/postgresql (apt-get install postgresql)')
  return path.join(base, versions.sort((a, b) => Number(b) - Number(a))[0], 'bin')
}

/** PostgreSQL refuses to run as root: then every server command runs as the postgres user. */
function asServerUser(): { wrap: (cmd: string, args: string[]) => [string, string[]]; uid?: number; gid?: number } {
  if (userInfo().uid !== 0) return { wrap: (cmd, args) => [cmd, args] }
  const entry = spawnSync('getent', ['passwd', 'postgres'], { encoding: 'utf8' }).stdout.trim().split(':')
  if (entry.length < 4) throw new Error('running as root, but there is no postgres user to run PostgreSQL as')
  return { wrap: (cmd, args) => ['runuser', ['-u', 'postgres', '--', cmd, ...args]], uid: Number(entry[2]), gid: Number(entry[3]) }
}

function run(cmd: string, args: string[], what: string): void {
  const result = spawnSync(cmd, args, { encoding: 'utf8' })
  if (result.status !== 0) throw new Error(`${what} failed: ${result.stderr || result.stdout || result.error?.message}`)
}

export async function startPostgres(): Promise<Postgres> {
  const bin = postgresBinDir()
  const user = asServerUser()
  const dir = path.join(root, 'pg')
  mkdirSync(dir)
  if (user.uid !== undefined) {
    chownSync(root, user.uid, user.gid!)
    chownSync(dir, user.uid, user.gid!)
  }
  const port = await freePort()
  const data = path.join(dir, 'data')
  run(...user.wrap(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']), 'initdb')
  // Durability is not under test here (fsync off keeps the machine responsive); crash recovery still runs.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`
  const pgCtl = (args: string[], what: string) => run(...user.wrap(path.join(bin, 'pg_ctl'), ['-D', data, '-s', ...args]), what)
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`

  const start = async () => {
    pgCtl(['-w', '-l', path.join(dir, 'server.log'), '-o', options, 'start'], 'pg_ctl start')
    await waitForPostgres(url)
  }
  await start()
  cleanups.push(() => spawnSync(...user.wrap(path.join(bin, 'pg_ctl'), ['-D', data, '-s', '-m', 'immediate', 'stop']), { stdio: 'ignore' }))
  await query(url, 'CREATE DATABASE chaos')
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/chaos`,
    start,
    async stop() {
      pgCtl(['-w', '-m', 'fast', 'stop'], 'pg_ctl stop')
    },
    async restart() {
      pgCtl(['-w', '-m', 'fast', '-l', path.join(dir, 'server.log'), '-o', options, 'restart'], 'pg_ctl restart')
      await waitForPostgres(url)
    },
  }
}

async function waitForPostgres(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      await query(url, 'SELECT 1')
      return
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }
  throw new Error('the chaos PostgreSQL does not answer')
}

/** One short-lived connection per query: the suite's own reads must survive server restarts. */
export async function query<Row = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 })
  client.on('error', () => {})
  await client.connect()
  try {
    return (await client.query(text, params)).rows as Row[]
  } finally {
    await client.end().catch(() => undefined)
  }
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort()
  const dir = path.join(root, 'redis')
  mkdirSync(dir, { recursive: true })
  let child: ChildProcess | null = null
  const url = `redis://127.0.0.1:${port}`

  const start = async () => {
    const started = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' })
    started.on('error', () => undefined)
    child = started
    for (let i = 0; i < 100; i++) {
      if (started.exitCode !== null) throw new Error('redis-server exited at start (is it installed?)')
      if (spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout?.trim() === 'PONG') return
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    throw new Error('the chaos redis-server does not answer')
  }
  await start()
  cleanups.push(() => child?.kill('SIGKILL'))
  return {
    url,
    port,
    start,
    async stop() {
      const running = child
      if (!running || running.exitCode !== null) return
      const exited = new Promise((resolve) => running.once('exit', resolve))
      running.kill('SIGTERM')
      await exited
    },
  }
}

/** Runs when the suite ends, whichever way it ends. */
export function onCleanup(fn: () => void): void {
  cleanups.push(fn)
}
