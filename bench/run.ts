// `npm run bench` (short, under 3 minutes) or `npm run bench -- --full` / BENCH_FULL=1 (the
// issue-size loads): every part starts its own processes on its own schema and key prefix of the
// shared PostgreSQL and Redis, sends traffic only to 127.0.0.1, cleans up, and adds its rows to
// one Markdown table (the form README.md's Benchmark section shows).
import { testDatabaseUrl, testRedisUrl } from '../test/support/services.ts'
import { bookingsBench } from './bookings.ts'
import { commandsBench } from './commands.ts'
import { ingestBench } from './ingest.ts'
import { remindersBench } from './reminders.ts'
import { summaryBench } from './summary.ts'
import { printTable, type BenchEnv, type BenchPart, type BenchRow } from './table.ts'

const env: BenchEnv = {
  databaseUrl: process.env.BENCH_DATABASE_URL ?? testDatabaseUrl,
  redisUrl: process.env.BENCH_REDIS_URL ?? testRedisUrl,
  full: process.argv.includes('--full') || process.env.BENCH_FULL === '1',
}

const parts: [string, BenchPart][] = [
  ['webhook ingest', ingestBench],
  ['commands', commandsBench],
  ['reminders, memory and 待办', remindersBench],
  ['bookings', bookingsBench],
  ['daily summary', summaryBench],
]

/** BENCH_PARTS=reminders (a comma-separated list of name prefixes) runs only those parts. */
const only = process.env.BENCH_PARTS?.split(',').map((name) => name.trim()).filter(Boolean)
const rows: BenchRow[] = []
const startedAt = Date.now()
for (const [name, part] of parts) {
  if (only && !only.some((prefix) => name.startsWith(prefix))) continue
  const partStartedAt = Date.now()
  console.error(`bench: ${name}…`)
  try {
    rows.push(...(await part(env)))
  } catch (error) {
    rows.push({ measure: `${name}: could not run`, value: (error as Error).message.replaceAll('|', '/').split('\n')[0], met: false })
  }
  console.error(`bench: ${name} took ${Math.round((Date.now() - partStartedAt) / 1000)} s`)
}
console.error(`bench: ${env.full ? 'full' : 'short'} run took ${Math.round((Date.now() - startedAt) / 1000)} s`)
printTable(rows)
process.exitCode = rows.some((row) => row.met === false) ? 1 : 0
