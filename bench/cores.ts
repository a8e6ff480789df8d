// Which cores a bench's processes run on, changed while they run and put back after (taskset, util-linux).
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { statFields } from './processes.ts'

export interface CoreSplit {
  /** The core for the server under test. */
  server: string
  /** The others, for the load generator, PostgreSQL and Redis. */
  rest: string
}

/** The last core for the server, the others for the rest; null on one core or without taskset. */
export function coreSplit(): CoreSplit | null {
  const cores = availableParallelism()
  if (cores < 2 || spawnSync('taskset', ['--version']).status !== 0) return null
  return { server: String(cores - 1), rest: cores === 2 ? '0' : `0-${cores - 2}` }
}

/**
 * Runs `work` with `servers` on the split's server core and `others()` (read again when putting
 * back, to catch PostgreSQL backends forked meanwhile) on the rest. Every process is put back on
 * the cores it had, or, if it started meanwhile, on its parent's.
 */
export async function withCoreSplit<T>(split: CoreSplit, servers: number[], others: () => number[], work: () => Promise<T>): Promise<T> {
  const before = new Map<number, string>()
  for (const pid of [...servers, ...others()]) {
    const cores = coresOf(pid)
    if (cores) before.set(pid, cores)
  }
  try {
    for (const pid of servers) pin(pid, split.server)
    for (const pid of others()) pin(pid, split.rest)
    return await work()
  } finally {
    const putBack = (pid: number) => before.get(pid) ?? before.get(parentOf(pid) ?? -1)
    for (const pid of new Set([...before.keys(), ...others()])) {
      const cores = putBack(pid)
      if (cores) pin(pid, cores, { ignoreFailure: true })
    }
  }
}

/** Moves a process, with all its threads, onto `cores`. */
function pin(pid: number, cores: string, { ignoreFailure = false } = {}): void {
  const result = spawnSync('taskset', ['--all-tasks', '--pid', '--cpu-list', cores, String(pid)], { encoding: 'utf8' })
  // A backend that exited meanwhile is no failure; anything else (no permission) stops the split.
  if (result.status !== 0 && !ignoreFailure && isAlive(pid)) throw new Error(`cannot move process ${pid} between cores: ${result.stderr.trim()}`)
}

/** A process and all its descendants: a PostgreSQL server is its postmaster and the backends it forked. */
export function processTree(pid: number): number[] {
  const children = new Map<number, number[]>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    const parent = parentOf(Number(entry))
    if (parent !== null) children.set(parent, [...(children.get(parent) ?? []), Number(entry)])
  }
  const found: number[] = []
  const walk = (id: number) => {
    found.push(id)
    for (const child of children.get(id) ?? []) walk(child)
  }
  walk(pid)
  return found
}

/** The parent's process id, from /proc/<pid>/stat; null once the process is gone. */
export function parentOf(pid: number): number | null {
  const fields = statFields(pid)
  return fields ? Number(fields[1]) : null
}

/** The cores a process may run on now, as a list ("0-1"); null once it is gone. */
function coresOf(pid: number): string | null {
  try {
    return /Cpus_allowed_list:\s*(\S+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? null
  } catch {
    return null
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
