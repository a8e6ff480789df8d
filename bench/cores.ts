// Which cores a bench's processes may run on, set and reset while they run (taskset, util-linux).
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'

/**
 * The last core for the server under test, the others for everything else (the load generator,
 * PostgreSQL, Redis); null on a machine with a single core or without taskset.
 */
export function coreSplit(): { server: string; rest: string; all: string } | null {
  const cores = availableParallelism()
  if (cores < 2 || spawnSync('taskset', ['--version']).status !== 0) return null
  return { server: String(cores - 1), rest: cores === 2 ? '0' : `0-${cores - 2}`, all: `0-${cores - 1}` }
}

/** Moves each process, with all its threads, onto `cores`. */
export function pinTo(cores: string, pids: number[]): void {
  for (const pid of pids) {
    const result = spawnSync('taskset', ['--all-tasks', '--pid', '--cpu-list', cores, String(pid)], { encoding: 'utf8' })
    // A backend that exited meanwhile is no failure; anything else would leave the split half made.
    if (result.status !== 0 && isAlive(pid)) throw new Error(`taskset ${cores} ${pid} failed: ${result.stderr.trim()}`)
  }
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

/** The fourth field of /proc/<pid>/stat, after the command name (in parentheses, perhaps with spaces). */
function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
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
