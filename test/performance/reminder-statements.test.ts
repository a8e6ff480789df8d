import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { consoleChannel } from '../../src/platforms/console/sender.ts'
import { startDemoWorld } from '../support/demo.ts'
import { setupTestEnv } from '../support/harness.ts'
import { briefly, statementsOf } from '../support/statements.ts'
import { waitFor } from '../support/wait.ts'

/**
 * When thousands of reminders fall due together, each firing's round trips to PostgreSQL decide
 * how many fire per second. This counts every statement the process sends for one repair
 * reminder, from its job starting to its message delivered in the maintenance group (claim,
 * ticket lock, recipients, timeline, stored message with its groups, delivery), and holds it to a bound.
 */
const env = await setupTestEnv()
// The real time: the new tickets' reminders are minutes away, so only the one made due fires.
env.clock.set(new Date())
const world = await startDemoWorld(env)
const frontDesk = world.group('front_desk')
const maintenance = world.group('maintenance')

/** Reports an urgent repair and waits until its reply and notice are out and every queue is idle. */
async function reportRepair(unit: string): Promise<string> {
  await untilPublished([frontDesk, maintenance], 2, async () => {
    const response = await env.app.inject({
      method: 'POST',
      url: `/console/groups/${frontDesk}/messages`,
      payload: { memberId: world.member('agent'), text: `报修 ${unit} 厨房水管漏水 紧急`, messageId: randomUUID() },
    })
    expect(response.statusCode, response.body).toBe(202)
  })
  const ticket = await env.ctx.prisma.ticket.findFirstOrThrow({ where: { unit }, select: { id: true } })
  const alert = await env.ctx.prisma.reminder.findFirstOrThrow({ where: { subjectId: ticket.id, kind: 'repair.unassigned_alert' } })
  return alert.id
}

/** Makes the reminder due now and runs its job at once; resolves, once its message is delivered, with the statements that took. */
async function fireNow(reminderId: string): Promise<string[]> {
  await env.ctx.prisma.reminder.update({ where: { id: reminderId }, data: { dueAt: new Date() } })
  const job = await env.ctx.queues.reminders.getJob(reminderId)
  if (!job) throw new Error('the reminder has no job')
  return (await statementsOf(() => untilPublished([maintenance], 1, () => job.promote()))).map(briefly)
}

/** Runs `act`, then waits (on Redis only, so nothing is counted) for `count` console messages and idle queues. */
async function untilPublished(groups: string[], count: number, act: () => Promise<unknown>): Promise<void> {
  const subscriber = env.ctx.redis.duplicate()
  const published: string[] = []
  subscriber.on('message', (channel) => published.push(channel))
  await subscriber.subscribe(...groups.map((group) => consoleChannel(env.ctx, group)))
  try {
    await act()
    await waitFor(() => published.length >= count, { what: `${count} console messages` })
    // Delivery marks its row after publishing: wait until no job is left running.
    await waitFor(async () => {
      const counts = await Promise.all([env.ctx.queues.reminders, env.ctx.queues.outbound, env.ctx.queues.inbound].map((queue) => queue.getJobCounts('active', 'wait')))
      return counts.every((c) => c.active + c.wait === 0)
    }, { what: 'idle queues' })
  } finally {
    subscriber.disconnect()
  }
}

describe('statements per reminder firing', () => {
  it('a repair reminder costs at most 8 SQL statements from its job to its message delivered, and fires once', async () => {
    const warmUp = await reportRepair('3-2-601') // first reads of the tenant's rules and members are not the steady state
    await fireNow(warmUp)
    const reminderId = await reportRepair('3-2-602')
    const sent = await fireNow(reminderId)
    console.log(`statements for one reminder firing: ${sent.length}\n${sent.join('\n')}`)

    const reminder = await env.ctx.prisma.reminder.findUniqueOrThrow({ where: { id: reminderId } })
    expect(reminder.status).toBe('sent')
    expect(reminder.recipients.length).toBeGreaterThan(0)
    const events = await env.ctx.prisma.ticketEvent.count({ where: { type: 'reminder_sent', ticketId: reminder.subjectId } })
    const messages = await env.ctx.prisma.outgoingMessage.findMany({ where: { idempotencyKey: { startsWith: `reminder:${reminderId}:` } } })
    expect(events).toBe(1)
    expect(messages.map((m) => m.status)).toEqual(['delivered'])
    expect(sent.length, sent.join('\n')).toBeLessThanOrEqual(8)
  })
})
