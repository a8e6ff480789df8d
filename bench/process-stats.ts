// Preloaded into a frontdesk process by bench/commands.ts (node --import): counts the SQL
// statements the process sends (Prisma's adapter and the raw pool both go through
// pg.Client#query) and, on SIGUSR2, writes them with the process's CPU time to
// statsFileOf(REDIS_PREFIX), so the bench can read both before and after a load phase, with the
// longest event-loop delay since the previous write and the full (mark-compact) collections since
// then. Plain TypeScript Node runs without a loader.
import { renameSync, writeFileSync } from 'node:fs'
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks'
import pg from 'pg'
import { statsFileOf } from './stats-file.ts'

const file = process.env.REDIS_PREFIX && statsFileOf(process.env.REDIS_PREFIX)
let statements = 0
const originalQuery = pg.Client.prototype.query
pg.Client.prototype.query = function counted(this: pg.Client, ...args: unknown[]) {
  statements++
  return (originalQuery as (...a: unknown[]) => unknown).apply(this, args)
} as typeof pg.Client.prototype.query

// Tells a stall of the process itself (a long task, a GC pause) from waiting on PostgreSQL or Redis.
const loopDelay = monitorEventLoopDelay({ resolution: 10 })
loopDelay.enable()

// A full collection stops the process for a moment and its marking shares the two cores with
// PostgreSQL: when (wall-clock ms) each began and how long its pause was.
let fullCollections: { at: number; ms: number }[] = []
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind
    if (kind === constants.NODE_PERFORMANCE_GC_MAJOR) fullCollections.push({ at: performance.timeOrigin + entry.startTime, ms: entry.duration })
  }
}).observe({ entryTypes: ['gc'] })

function write(): void {
  const cpu = process.cpuUsage()
  if (!file) return
  const loopDelayMaxMs = loopDelay.max / 1e6
  loopDelay.reset()
  // Written aside and renamed, so the bench never reads half a file.
  writeFileSync(`${file}.tmp`, JSON.stringify({ statements, cpuMs: (cpu.user + cpu.system) / 1000, loopDelayMaxMs, fullCollections }))
  fullCollections = []
  renameSync(`${file}.tmp`, file)
}
// On request only (SIGUSR2 from the bench): writing on a timer would itself show up as CPU per command.
process.on('SIGUSR2', write)
write()
