// Reminders at scale, memory and 待办, on one all-in-one frontdesk process (FRONTDESK_ROLE=all):
// a pending set seeded straight into PostgreSQL (as if Redis had been flushed: rows, no jobs), the
// reconciler rebuilding the delayed jobs, then every due reminder firing through the real workers
// and console delivery. The rows are the measurement: lateness is firedAt - dueAt, and each
// reminder's timeline events and messages are counted to show none fired twice.
import { randomBytes, randomUUID } from 'node:crypto'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { Redis } from 'ioredis'
import { seedDemoTenant } from '../src/admin/seed.ts'
import { openDatabase, type Database } from '../src/db/database.ts'
import { migrateOnStart } from '../src/db/migrate-on-start.ts'
import { uniqueName } from '../test/support/services.ts'
import { freePort, waitForStatus } from '../test/support/process.ts'
import { deleteBenchKeys, dropBenchSchema } from './cleanup.ts'
import { memoryFileOf } from './memory-file.ts'
import { megabytes, percentile, startFrontdesk, type BenchProcess } from './processes.ts'
import type { BenchPart, BenchRow } from './table.ts'

/** 100,000 due over five minutes is the issue-size load; the short run keeps the rate (333/s). */
const FULL = { tickets: 100_000, due: 100_000, windowMs: 300_000 }
const SHORT = { tickets: 100_000, due: 10_000, windowMs: 30_000 }
const LATENESS_P99_BOUND_MS = 1000
const RSS_BOUND_BYTES = 300 * 1024 * 1024
/** The first reconcile pass starts within an upkeep period and queues every page; a second may finish it. */
const UPKEEP_PERIOD_MS = 10_000
const RECONCILE_PASSES = 2
/** 待办 shows this many tickets at most; the baseline has as many, so both answers are the same size. */
const TODO_BASELINE_TICKETS = 100
const TODO_SAMPLES = 15

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export const remindersBench: BenchPart = async ({ databaseUrl, redisUrl, full }) => {
  const load = full ? FULL : SHORT
  const schema = uniqueName('bench_reminders')
  const prefix = uniqueName('fdbench')
  const masterKey = randomBytes(32)
  const adminToken = randomBytes(24).toString('hex')
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 })
  let db: Database | undefined
  let frontdesk: BenchProcess | undefined
  try {
    db = await openDatabase({ url: databaseUrl, schema })
    await migrateOnStart(db)
    const demo = await seedDemoTenant({ prisma: db.prisma })
    if (!demo) throw new Error('the bench schema was not empty')
    const groupOf = (purpose: string) => demo.groups.find((group) => group.purpose === purpose)!.id
    const memberOf = (role: string) => demo.members.find((member) => member.role === role)!.id

    const port = await freePort()
    frontdesk = startFrontdesk({ role: 'all', port, databaseUrl, schema, redisUrl, prefix, masterKey, adminToken, nodeFlags: memoryFlags() })
    const baseUrl = `http://127.0.0.1:${port}`
    await waitForStatus(`${baseUrl}/readyz`, 200)
    await sleep(3000)
    const idleRss = frontdesk.rss()
    heapSnapshot(frontdesk)

    const todo = () => commandToReply(baseUrl, adminToken, groupOf('front_desk'), memberOf('agent'), '待办')
    await seedTickets(db, demo.tenantId, memberOf('customer'), 0, TODO_BASELINE_TICKETS)
    const todoBaseline = await samples(todo)

    // The pending set: reminders due in the window (after the reconciler has had time to queue
    // them all), and in the short run the rest a day later, outside the horizon.
    const usedBefore = await usedMemory(redis)
    await seedTickets(db, demo.tenantId, memberOf('customer'), TODO_BASELINE_TICKETS, load.tickets - TODO_BASELINE_TICKETS)
    const seededAt = Date.now()
    const reconcileBoundMs = (RECONCILE_PASSES + 1) * UPKEEP_PERIOD_MS
    // A few seconds past the bound: seeding the reminders takes some, and the rest is margin.
    const windowStart = seededAt + reconcileBoundMs + 5_000
    await seedReminders(db, demo.tenantId, groupOf('maintenance'), load, windowStart)
    // What a flush leaves: the rows and no Redis state at all (the reconciler's own bookkeeping included).
    await deleteBenchKeys(redisUrl, `${prefix}:*`)

    const delayedKey = `${prefix}:reminders:delayed`
    let reconciledMs = NaN
    while (Date.now() < windowStart - 2000) {
      if ((await redis.zcard(delayedKey)) >= load.due) {
        reconciledMs = Date.now() - seededAt
        break
      }
      await sleep(200)
    }
    const queuedJobs = await redis.zcard(delayedKey)
    const redisDelta = (await usedMemory(redis)) - usedBefore

    // Fire: sample the process's memory until every due reminder is settled and its message delivered.
    let peakRss = frontdesk.rss()
    const deadline = windowStart + load.windowMs + 180_000
    let snapshotTaken = false
    while (Date.now() < deadline) {
      await sleep(500)
      peakRss = Math.max(peakRss, frontdesk.rss())
      if (!snapshotTaken && Date.now() >= windowStart + load.windowMs / 2) snapshotTaken = heapSnapshot(frontdesk)
      if (Date.now() < windowStart + load.windowMs) continue
      if (await settled(db, windowStart + load.windowMs)) break
    }
    const settledAt = Date.now()
    const firing = await firingFacts(db)
    const todoAtScale = await samples(todo)

    const late = (ms: number) => `${(ms / 1000).toFixed(2)} s`
    const todoRatio = percentile(todoAtScale, 50) / percentile(todoBaseline, 50)
    const scale = `${load.due.toLocaleString('en')} due over ${load.windowMs / 60_000} min, ${load.tickets.toLocaleString('en')} pending`
    const rows: BenchRow[] = [
      {
        measure: `reminder lateness (firedAt - dueAt), ${scale}, p50 / p99`,
        value: `${late(firing.lateness.p50)} / ${late(firing.lateness.p99)}`,
        target: `p99 < ${late(LATENESS_P99_BOUND_MS)}`,
        met: firing.lateness.p99 < LATENESS_P99_BOUND_MS,
      },
      {
        measure: 'reminders fired / fired twice / messages delivered (each reminder once)',
        value: `${firing.sent.toLocaleString('en')} / ${firing.twice} / ${firing.delivered.toLocaleString('en')}`,
        target: `${load.due.toLocaleString('en')} / 0 / ${load.due.toLocaleString('en')}`,
        met: firing.sent === load.due && firing.twice === 0 && firing.delivered === load.due,
      },
      { measure: 'reminder message delivered (deliveredAt - dueAt), p50 / p99', value: `${late(firing.delivery.p50)} / ${late(firing.delivery.p99)}` },
      {
        measure: `reconciliation from empty Redis (as after a flush), ${load.due.toLocaleString('en')} due within the horizon`,
        value: Number.isNaN(reconciledMs) ? `not done (${queuedJobs.toLocaleString('en')} queued)` : `${(reconciledMs / 1000).toFixed(1)} s`,
        target: `<= ${reconcileBoundMs / 1000} s (${RECONCILE_PASSES} passes, one per ${UPKEEP_PERIOD_MS / 1000} s)`,
        met: reconciledMs <= reconcileBoundMs,
      },
      {
        measure: `Redis used_memory for ${queuedJobs.toLocaleString('en')} delayed reminder jobs`,
        value: `${megabytes(redisDelta)} (${Math.round(redisDelta / Math.max(1, queuedJobs))} bytes each)`,
      },
      { measure: 'all-in-one process RSS, idle / peak while reminders fire', value: `${megabytes(idleRss)} / ${megabytes(peakRss)}`, target: `< ${megabytes(RSS_BOUND_BYTES)}`, met: peakRss < RSS_BOUND_BYTES },
      {
        measure: `待办 command to reply at ${load.tickets.toLocaleString('en')} open tickets vs ${TODO_BASELINE_TICKETS}, p50`,
        value: `${Math.round(percentile(todoAtScale, 50))} ms vs ${Math.round(percentile(todoBaseline, 50))} ms (×${todoRatio.toFixed(2)})`,
        target: '<= ×2 (same answer: the first 100)',
        met: todoRatio <= 2,
      },
    ]
    console.error(`bench: reminders settled ${Math.round((settledAt - windowStart - load.windowMs) / 1000)} s after the window`)
    console.error(`bench: lateness p50 by 5 s of the window (s): ${(await latenessBySlice(db, windowStart)).join(' ')}`)
    reportMemorySplit(prefix)
    return rows
  } finally {
    await frontdesk?.stop()
    await db?.close()
    redis.disconnect()
    await dropBenchSchema(databaseUrl, schema).catch(() => undefined)
    await deleteBenchKeys(redisUrl, `${prefix}:*`).catch(() => undefined)
  }
}

/**
 * BENCH_HEAP_PROF_DIR / BENCH_PROFILE_DIR: a sampling heap / CPU profile of the process, written when it stops;
 * BENCH_MEMORY_LOG: its memory split once a second (bench/memory-sampler.ts);
 * BENCH_HEAP_SNAPSHOT_DIR: a heap snapshot when idle and one halfway through the firing window;
 * BENCH_NODE_FLAGS: more node flags (space-separated), to try V8 heap settings.
 */
function memoryFlags(): string[] {
  const heap = process.env.BENCH_HEAP_PROF_DIR
  const cpu = process.env.BENCH_PROFILE_DIR
  const snapshots = process.env.BENCH_HEAP_SNAPSHOT_DIR
  const sampler = process.env.BENCH_MEMORY_LOG ? ['--import', new URL('./memory-sampler.ts', import.meta.url).pathname] : []
  return [
    ...(heap ? ['--heap-prof', `--heap-prof-dir=${heap}`] : []),
    ...(cpu ? ['--cpu-prof', `--cpu-prof-dir=${cpu}`] : []),
    ...(snapshots ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${snapshots}`] : []),
    ...sampler,
    ...(process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []),
  ]
}

/** Asks the process for a heap snapshot (written to BENCH_HEAP_SNAPSHOT_DIR); true once asked. */
function heapSnapshot(frontdesk: BenchProcess): boolean {
  if (!process.env.BENCH_HEAP_SNAPSHOT_DIR) return true
  frontdesk.child.kill('SIGUSR2')
  return true
}

/** With BENCH_MEMORY_LOG set: the memory split at the RSS peak, and every sample copied to that file. */
function reportMemorySplit(prefix: string): void {
  const target = process.env.BENCH_MEMORY_LOG
  if (!target || !existsSync(memoryFileOf(prefix))) return
  const text = readFileSync(memoryFileOf(prefix), 'utf8')
  writeFileSync(target, text)
  rmSync(memoryFileOf(prefix))
  const samples = text.trim().split('\n').map((line) => JSON.parse(line) as Record<string, number>)
  const peak = samples.reduce((a, b) => (b.rss > a.rss ? b : a))
  console.error(`bench: memory at the RSS peak (MB): ${JSON.stringify(peak)}; idle first sample: ${JSON.stringify(samples[0])}`)
}

/** Open urgent repairs numbered after `offset`, straight into the table. */
async function seedTickets(db: Database, tenantId: string, reporterId: string, offset: number, count: number): Promise<void> {
  if (count <= 0) return
  await db.sql.query(
    `INSERT INTO "Ticket" (id, "tenantId", number, kind, status, priority, unit, category, description, "reporterId", "createdAt", "updatedAt")
     SELECT gen_random_uuid(), $1, 1000 + n, 'repair', 'open', 'urgent', '9-' || (n % 30) || '-' || (n % 400), 'plumbing', '厨房水管漏水', $2, now(), now()
     FROM generate_series($3::int + 1, $3::int + $4::int) AS n`,
    [tenantId, reporterId, offset, count],
  )
  await db.sql.query(`UPDATE "Tenant" SET "lastTicketNumber" = 1000 + $2::int WHERE id = $1`, [tenantId, offset + count])
  await db.sql.exec('ANALYZE "Ticket"')
}

/** One unassigned alert per ticket: the first `due` spread evenly over the window, the rest a day later. */
async function seedReminders(db: Database, tenantId: string, groupId: string, load: typeof FULL, windowStart: number): Promise<void> {
  await db.sql.query(
    `INSERT INTO "Reminder" (id, "tenantId", kind, "subjectType", "subjectId", "dueAt", "groupId", status)
     SELECT gen_random_uuid(), $1, 'repair.unassigned_alert', 'ticket', t.id,
            to_timestamp(($3::bigint + (CASE WHEN t.number - 1000 <= $4::int THEN 0 ELSE 86400000 END)
                          + ((t.number - 1001) % $4::int)::bigint * $5::bigint / $4::int) / 1000.0),
            $2, 'pending'
     FROM "Ticket" t WHERE t."tenantId" = $1`,
    [tenantId, groupId, windowStart, load.due, load.windowMs],
  )
  await db.sql.exec('ANALYZE "Reminder"')
}

async function usedMemory(redis: Redis): Promise<number> {
  const info = await redis.info('memory')
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0)
}

/**
 * Every reminder due by the window's end has left pending and no message waits for delivery. Both
 * counts run on the status indexes and shrink to nothing as the firing ends, so polling them does
 * not take from the PostgreSQL the firing is measured on (counting the settled rows instead read
 * the whole table, 66 ms every half second).
 */
async function settled(db: Database, dueBy: number): Promise<boolean> {
  const [row] = await db.sql.query<{ due: string; undelivered: string }>(
    `SELECT (SELECT count(*) FROM "Reminder" WHERE status = 'pending' AND "dueAt" <= $1) AS due,
            (SELECT count(*) FROM "OutgoingMessage" WHERE status IN ('pending', 'sending')) AS undelivered`,
    [new Date(dueBy)],
  )
  return Number(row.due) === 0 && Number(row.undelivered) === 0
}

async function firingFacts(db: Database) {
  const lateness = await db.sql.query<{ ms: number }>(
    `SELECT extract(epoch FROM ("firedAt" - "dueAt")) * 1000 AS ms FROM "Reminder" WHERE status = 'sent' ORDER BY ms`,
  )
  const delivery = await db.sql.query<{ ms: number }>(
    `SELECT extract(epoch FROM (m."deliveredAt" - r."dueAt")) * 1000 AS ms
     FROM "OutgoingMessage" m JOIN "Reminder" r ON m."idempotencyKey" = 'reminder:' || r.id || ':' || r."groupId"
     WHERE m.status = 'delivered' ORDER BY ms`,
  )
  const [counts] = await db.sql.query<{ sent: string; twice: string; delivered: string }>(
    `SELECT (SELECT count(*) FROM "Reminder" WHERE status = 'sent') AS sent,
            (SELECT count(*) FROM (SELECT data->>'reminderId' FROM "TicketEvent" WHERE type = 'reminder_sent' GROUP BY 1 HAVING count(*) > 1) twice) AS twice,
            (SELECT count(*) FROM "OutgoingMessage" WHERE "idempotencyKey" LIKE 'reminder:%' AND status = 'delivered') AS delivered`,
  )
  const ms = (rows: { ms: number }[]) => rows.map((row) => Number(row.ms))
  const spread = (values: number[]) => ({ p50: percentile(values, 50), p99: percentile(values, 99) })
  return { lateness: spread(ms(lateness)), delivery: spread(ms(delivery)), sent: Number(counts.sent), twice: Number(counts.twice), delivered: Number(counts.delivered) }
}

/** Whether firings trail more and more (too slow) or by a constant (a delay somewhere): p50 lateness per 5 s of due time. */
async function latenessBySlice(db: Database, windowStart: number): Promise<string[]> {
  const rows = await db.sql.query<{ slice: number; p50: number }>(
    `SELECT floor((extract(epoch FROM "dueAt") * 1000 - $1::bigint) / 5000) AS slice,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM ("firedAt" - "dueAt"))) AS p50
     FROM "Reminder" WHERE status = 'sent' GROUP BY 1 ORDER BY 1`,
    [windowStart],
  )
  return rows.map((row) => Number(row.p50).toFixed(1))
}

async function samples(measure: () => Promise<number>): Promise<number[]> {
  await measure() // warm-up: first use of the statements
  const values: number[] = []
  for (let i = 0; i < TODO_SAMPLES; i++) values.push(await measure())
  return values.sort((a, b) => a - b)
}

/** Milliseconds from posting a command in a console group to its reply being delivered there. */
async function commandToReply(baseUrl: string, adminToken: string, groupId: string, memberId: string, text: string): Promise<number> {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` }
  const messageId = randomUUID()
  const since = new Date(Date.now() - 1000).toISOString()
  const startedAt = performance.now()
  const posted = await fetch(`${baseUrl}/console/groups/${groupId}/messages`, { method: 'POST', headers, body: JSON.stringify({ memberId, text, messageId }) })
  if (posted.status !== 202) throw new Error(`console answered ${posted.status} to ${text}`)
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    const response = await fetch(`${baseUrl}/console/groups/${groupId}/messages?after=${encodeURIComponent(since)}`, { headers })
    const { messages } = (await response.json()) as { messages: { replyTo?: string }[] }
    if (messages.some((message) => message.replyTo === messageId)) return performance.now() - startedAt
    await sleep(5)
  }
  throw new Error(`no reply to ${text} within 30 s`)
}
