// The daily summary at the reports domain (dailyFigures for every audience, then the 7-day
// trend), for a tenant with two years of work seeded by SQL on the shared PostgreSQL in a schema
// of its own. No chat, no Redis: what the report's queries cost, and whether their plans reach
// the history through indexes (EXPLAIN ANALYZE of every statement one summary sends).
import pg from 'pg'
import { openDatabase, type Database } from '../src/db/database.ts'
import { migrateOnStart } from '../src/db/migrate-on-start.ts'
import { dailyFigures, localDateOf, trend, type ReportScope } from '../src/domain/reports/index.ts'
import { historyScans, seedReportHistory } from '../test/support/report-history.ts'
import { plansOf, selectsOf } from '../test/support/statements.ts'
import { uniqueName } from '../test/support/services.ts'
import { dropBenchSchema } from './cleanup.ts'
import type { BenchPart, BenchRow } from './table.ts'

const TICKETS = 100_000
const BOOKINGS = 10_000
const TARGET_MS = 500
/** A scan reading more rows than this walks the history instead of the day. */
const MAX_ROWS_PER_SCAN = 2_000
const SCOPES: ReportScope[] = ['front_desk', 'maintenance', 'management', 'customer_service']

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

export const summaryBench: BenchPart = async ({ databaseUrl, full }) => {
  const runs = full ? 30 : 8
  const schema = uniqueName('bench_summary')
  let db: Database | undefined
  const client = new pg.Client({ connectionString: databaseUrl })
  try {
    db = await openDatabase({ url: databaseUrl, schema })
    await migrateOnStart(db)
    const prisma = db.prisma
    const timeZone = 'Asia/Shanghai'
    const tenant = await prisma.tenant.create({ data: { name: '日报压测物业', timeZone } })
    await client.connect()
    await client.query(`SET search_path = "${schema}"`)
    const now = new Date()
    await seedReportHistory(client, { tenantId: tenant.id, tickets: TICKETS, bookings: BOOKINGS, now })

    const date = localDateOf(now, timeZone)
    const summary = async () => {
      for (const scope of SCOPES) await dailyFigures(prisma, { tenantId: tenant.id, date, scope })
      await trend(prisma, { tenantId: tenant.id, days: 7, until: date })
    }
    // Warm-up: connections, prepared statements, the tables' pages in cache.
    await summary()
    const timings: number[] = []
    for (let i = 0; i < runs; i++) {
      const started = process.hrtime.bigint()
      await summary()
      timings.push(Number(process.hrtime.bigint() - started) / 1e6)
    }

    const plans = await plansOf(client, await selectsOf(summary))
    const offenders = plans.flatMap(({ text, plan }) =>
      historyScans(plan)
        .filter(({ node, read }) => node['Node Type'] === 'Seq Scan' || read > MAX_ROWS_PER_SCAN)
        .map(({ node, read }) => `${node['Node Type']} on ${node['Relation Name']} (${read} rows) in ${text.replace(/\s+/g, ' ').slice(0, 80)}`),
    )
    for (const offender of offenders) console.error(`bench summary: ${offender}`)
    const typical = median(timings)
    const rows: BenchRow[] = [
      {
        measure: `daily summary (${SCOPES.length} audiences + 7-day trend), ${TICKETS.toLocaleString('en')} tickets and ${BOOKINGS.toLocaleString('en')} bookings, median of ${runs}`,
        value: `${typical.toFixed(0)} ms`,
        target: `< ${TARGET_MS} ms`,
        met: typical < TARGET_MS,
      },
      { measure: 'daily summary, slowest run', value: `${Math.max(...timings).toFixed(0)} ms` },
      { measure: `summary statements sent (one run)`, value: String(plans.length) },
      {
        measure: `summary plans on indexes: no Seq Scan on ${['Ticket', 'Booking', 'FollowUp', 'Reminder'].join('/')}, ≤ ${MAX_ROWS_PER_SCAN} rows per scan`,
        value: offenders.length ? `no (${offenders.length} scans)` : 'yes',
        target: 'yes',
        met: offenders.length === 0,
      },
    ]
    return rows
  } finally {
    await client.end().catch(() => undefined)
    await db?.close()
    await dropBenchSchema(databaseUrl, schema)
  }
}
