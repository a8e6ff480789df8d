// Preloaded into a frontdesk process by bench/reminders.ts (node --import) when BENCH_MEMORY_LOG
// is set: appends the process's memory split (heap, external, array buffers, RSS) once a second
// as JSON lines to memoryFileOf(REDIS_PREFIX), to show where the RSS peak goes. Plain TypeScript
// Node runs without a loader.
import { appendFileSync } from 'node:fs'
import { memoryFileOf } from './memory-file.ts'

const file = process.env.REDIS_PREFIX && memoryFileOf(process.env.REDIS_PREFIX)
if (file) {
  const mb = (bytes: number) => Math.round(bytes / 1024 / 1024)
  setInterval(() => {
    const m = process.memoryUsage()
    appendFileSync(file, `${JSON.stringify({ t: Date.now(), rss: mb(m.rss), heapUsed: mb(m.heapUsed), heapTotal: mb(m.heapTotal), external: mb(m.external), arrayBuffers: mb(m.arrayBuffers) })}\n`)
  }, 1000).unref()
}
