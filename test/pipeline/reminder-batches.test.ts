import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { startDemoWorld } from '../support/demo.ts'
import { setupTestEnv } from '../support/harness.ts'
import { statementsOf } from '../support/statements.ts'
import { waitFor } from '../support/wait.ts'

/**
 * Reminders that fall due together fire in shared transactions (src/jobs/reminders.ts): each
 * still fires exactly once, with its timeline event and its message, and one reminder that cannot
 * fire costs only itself: its batch rolls back and the others fire alone.
 */
const env = await setupTestEnv()
// The real time: the new tickets' reminders are minutes away, so only those made due fire.
env.clock.set(new Date())
const world = await startDemoWorld(env)
const frontDesk = world.group('front_desk')
const prisma = env.ctx.prisma

/** Reports `count` urgent repairs at once and returns each one's unassigned-alert reminder, once all are stored and queued. */
async function reportRepairs(prefix: string, count: number): Promise<{ id: string; subjectId: string }[]> {
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const response = await env.app.inject({
        method: 'POST',
        url: `/console/groups/${frontDesk}/messages`,
        payload: { memberId: world.member('agent'), text: `报修 ${prefix}-${101 + i} 厨房水管漏水 紧急`, messageId: randomUUID() },
      })
      expect(response.statusCode, response.body).toBe(202)
    }),
  )
  const alerts = () => prisma.reminder.findMany({ where: { kind: 'repair.unassigned_alert', status: 'pending', dueAt: { gt: new Date() } }, select: { id: true, subjectId: true } })
  await waitFor(async () => (await alerts()).length >= count, { what: `${count} stored repairs` })
  const found = await alerts()
  await waitFor(async () => (await Promise.all(found.map((r) => env.ctx.queues.reminders.getJob(r.id)))).every(Boolean), { what: 'their reminder jobs' })
  return found
}

/** Makes the reminders due now and lets all their jobs run at the same moment. */
async function fallDueTogether(reminders: { id: string }[]): Promise<void> {
  await prisma.reminder.updateMany({ where: { id: { in: reminders.map((r) => r.id) } }, data: { dueAt: new Date() } })
  const jobs = await Promise.all(reminders.map((r) => env.ctx.queues.reminders.getJob(r.id)))
  await Promise.all(jobs.map((job) => job!.promote()))
}

async function firedOnce(reminder: { id: string; subjectId: string }) {
  const [row, events, messages] = await Promise.all([
    prisma.reminder.findUniqueOrThrow({ where: { id: reminder.id } }),
    prisma.ticketEvent.count({ where: { type: 'reminder_sent', ticketId: reminder.subjectId } }),
    prisma.outgoingMessage.findMany({ where: { idempotencyKey: { startsWith: `reminder:${reminder.id}:` } }, select: { status: true } }),
  ])
  return { status: row.status, events, messages: messages.map((m) => m.status) }
}

const settled = (reminders: { id: string }[]) =>
  waitFor(async () => (await prisma.outgoingMessage.count({ where: { status: 'delivered', idempotencyKey: { in: reminders.map((r) => `reminder:${r.id}:${world.group('maintenance')}`) } } })) === reminders.length, {
    what: 'every reminder message delivered',
    timeoutMs: 30_000,
  })

describe('reminders falling due together', () => {
  it('fire once each, with their events and messages, in far fewer transactions than reminders, each locking its tickets at once', async () => {
    const reminders = await reportRepairs('8-1', 40)
    const statements = await statementsOf(async () => {
      await fallDueTogether(reminders)
      await settled(reminders)
    })
    for (const reminder of reminders) expect(await firedOnce(reminder)).toEqual({ status: 'sent', events: 1, messages: ['delivered'] })
    // One transaction per firing would be 40 commits; batched, the 40 share a few.
    const commits = statements.filter((s) => /^\s*COMMIT/i.test(s.text)).length
    expect(commits).toBeGreaterThan(0)
    expect(commits).toBeLessThanOrEqual(20)
    // And each transaction locks all of its tickets in one statement, not one per reminder.
    const ticketLocks = statements.filter((s) => /FOR UPDATE OF t\b/.test(s.text)).length
    expect(ticketLocks).toBe(commits)
  })

  it('one reminder that cannot fire rolls its batch back, and every other one still fires exactly once', async () => {
    const reminders = await reportRepairs('8-2', 12)
    const poisoned = reminders[5]
    // A real failure inside the shared transaction: the poisoned ticket's timeline refuses the event.
    await env.ctx.db.sql.exec(`
      CREATE FUNCTION refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW."ticketId" = '${poisoned.subjectId}' AND NEW.type = 'reminder_sent' THEN RAISE EXCEPTION 'timeline refused'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER refuse_event BEFORE INSERT ON "TicketEvent" FOR EACH ROW EXECUTE FUNCTION refuse_event();`)
    try {
      const others = reminders.filter((r) => r !== poisoned)
      await fallDueTogether(reminders)
      await settled(others)
      for (const reminder of others) expect(await firedOnce(reminder)).toEqual({ status: 'sent', events: 1, messages: ['delivered'] })
      expect(await firedOnce(poisoned)).toEqual({ status: 'pending', events: 0, messages: [] })
    } finally {
      await env.ctx.db.sql.exec('DROP TRIGGER refuse_event ON "TicketEvent"; DROP FUNCTION refuse_event()')
    }
    // Once the cause is gone, its retry fires it like any other (its message is delivered just after the firing commits).
    await waitFor(async () => (await firedOnce(poisoned)).messages[0] === 'delivered', { what: 'the poisoned reminder fired on retry and its message delivered', timeoutMs: 20_000 })
    expect(await firedOnce(poisoned)).toEqual({ status: 'sent', events: 1, messages: ['delivered'] })
  }, 60_000)
})
