// Processes a bench part starts: frontdesk (compiled, dist/src/main.js) on the bench's own schema and key prefix,
// or any other script, always on 127.0.0.1; each is stopped by the part that started it.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { projectRoot } from '../test/support/process.ts'

const compiledEntry = 'dist/src/main.js'
/** How `npm start` runs it: the compiled entry with production's heap settings. */
const serveScript = 'scripts/serve.sh'

export interface BenchProcess {
  child: ChildProcess
  /** Resident set size now, in bytes (0 once the process is gone). */
  rss(): number
  /** CPU time used so far (user + system, all threads), in seconds. */
  cpuSeconds(): number
  stop(): Promise<void>
}

/** Runs node with `args`, or `command` (an executable of the project) with them. */
export function startScript(args: string[], env: Record<string, string>, command: string = process.execPath): BenchProcess {
  const child = spawn(command, args, { cwd: projectRoot, env: { PATH: process.env.PATH ?? '', ...inheritedMallocSettings(), ...env }, stdio: ['ignore', 'ignore', 'inherit'] })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  return {
    child,
    rss: () => residentBytes(child.pid),
    cpuSeconds: () => cpuSecondsOf(child.pid),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}

export interface FrontdeskOptions {
  role: 'web' | 'worker' | 'all'
  port: number
  databaseUrl: string
  schema: string
  redisUrl: string
  prefix: string
  masterKey: Buffer
  /** Needed to speak through the console in production mode. */
  adminToken?: string
  /** Extra node flags, e.g. --cpu-prof or --heap-prof. */
  nodeFlags?: string[]
}

/** The compiled server (dist/, built by `npm run bench`'s prebench step) as `npm start` runs it, in production mode, quiet; `nodeFlags` go to node. */
export function startFrontdesk(options: FrontdeskOptions): BenchProcess {
  const { databaseUrl, schema } = options
  if (!existsSync(join(projectRoot, compiledEntry))) throw new Error(`${compiledEntry} is missing: run \`npm run build\` first (npm run bench does)`)
  return startScript(options.nodeFlags ?? [], {
    NODE_ENV: 'production',
    FRONTDESK_ROLE: options.role,
    PORT: String(options.port),
    HOST: '127.0.0.1',
    DATABASE_URL: `${databaseUrl}${databaseUrl.includes('?') ? '&' : '?'}schema=${schema}`,
    REDIS_URL: options.redisUrl,
    REDIS_PREFIX: options.prefix,
    ADMIN_TOKEN: options.adminToken ?? randomBytes(24).toString('hex'),
    MASTER_KEY: options.masterKey.toString('hex'),
    LOG_LEVEL: 'error',
    DEMO_SEED: 'false',
  }, join(projectRoot, serveScript))
}

/** VmRSS from /proc (Linux), which is what the operating system charges the process. */
function residentBytes(pid: number | undefined): number {
  if (!pid) return 0
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) * 1024 : 0
  } catch {
    return 0
  }
}

/** utime + stime from /proc/<pid>/stat (Linux), in clock ticks of 1/100 s. */
function cpuSecondsOf(pid: number | undefined): number {
  const fields = pid ? statFields(pid) : null
  return fields ? (Number(fields[11]) + Number(fields[12])) / 100 : 0
}

/**
 * The fields of /proc/<pid>/stat after the command name (which is in parentheses and may hold
 * spaces): state first, then the parent's id; null once the process is gone.
 */
export function statFields(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  } catch {
    return null
  }
}

export const megabytes = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]
}

/** glibc reads MALLOC_ARENA_MAX only at start-up: a child started with a bare env must be handed it (scripts/with-node.sh sets it). */
function inheritedMallocSettings(): Record<string, string> {
  return process.env.MALLOC_ARENA_MAX ? { MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX } : {}
}
