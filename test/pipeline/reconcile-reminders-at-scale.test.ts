import { describe, expect, it } from 'vitest'
import { reconcileQueues } from '../../src/jobs/reconcile.ts'
import { reconcileReminders } from '../../src/jobs/reminder-reconcile.ts'
import { setupTestEnv } from '../support/harness.ts'
import { deleteRedisPrefix } from '../support/services.ts'

const env = await setupTestEnv()
const prisma = env.ctx.prisma
const reminders = env.ctx.queues.reminders
const tenant = await prisma.tenant.create({ data: { name: '十万提醒的租户' } })

/** `count` pending reminders straight into the table (no jobs, as a flush leaves them), spread over [fromMs, toMs) from now. */
async function seedPending(count: number, fromMs: number, toMs: number, start = Date.now()): Promise<void> {
  await prisma.$executeRawUnsafe(
    `INSERT INTO "Reminder" (id, "tenantId", kind, "subjectType", "subjectId", "dueAt", status)
     SELECT gen_random_uuid(), $1, 'repair.unassigned_alert', 'ticket', gen_random_uuid(),
            to_timestamp(($2::bigint + $3::bigint + (n - 1)::bigint * ($4::bigint - $3::bigint) / $5::int) / 1000.0), 'pending'
     FROM generate_series(1, $5::int) AS n`,
    tenant.id,
    start,
    fromMs,
    toMs,
    count,
  )
}

const minutes = (n: number) => n * 60_000

describe('reconciling reminders at scale', () => {
  it('queues all 12,000 reminders due within the horizon after a flush, and then reads only what is new', async () => {
    await seedPending(12_000, minutes(2), minutes(12))
    await seedPending(1_000, minutes(24 * 60), minutes(25 * 60)) // tomorrow: outside the horizon, left in the database

    // Two passes at most (one per upkeep period) must leave a delayed job for each of the 12,000.
    await reconcileQueues(env.ctx)
    if ((await reminders.getDelayedCount()) < 12_000) await reconcileQueues(env.ctx)
    expect(await reminders.getDelayedCount()).toBe(12_000)

    // Nothing new since: the next pass reads no reminder rows at all.
    const quiet = await reconcileReminders(env.ctx, new Date())
    expect(quiet).toEqual({ queued: 0, requeued: 0, rowsRead: 0 })

    // A minute later the horizon has moved on: only the reminders entering it are read and queued,
    // and an overdue reminder whose job was lost is queued again.
    const later = Date.now() + minutes(1)
    await seedPending(5, minutes(15) + 10_000, minutes(15) + 50_000, later - minutes(1))
    const [lost] = await prisma.reminder.createManyAndReturn({
      data: { tenantId: tenant.id, kind: 'repair.unassigned_alert', subjectType: 'ticket', subjectId: crypto.randomUUID(), dueAt: new Date(Date.now() - 5_000) },
    })
    const moved = await reconcileReminders(env.ctx, new Date(later))
    expect(moved).toEqual({ queued: 5, requeued: 1, rowsRead: 6 })
    expect(await reminders.getJobState(lost.id)).not.toBe('unknown')
    expect(await reminders.getDelayedCount() + (await reminders.getWaitingCount())).toBe(12_006)

    // A second flush forgets what was queued; the next pass starts from the beginning again.
    await deleteRedisPrefix(env.prefix)
    await reconcileQueues(env.ctx, { now: new Date(later) })
    expect(await reminders.getDelayedCount() + (await reminders.getWaitingCount())).toBe(12_006)
  }, 60_000)
})
