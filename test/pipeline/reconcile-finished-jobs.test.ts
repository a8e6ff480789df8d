import { randomUUID } from 'node:crypto'
import { UnrecoverableError } from 'bullmq'
import { describe, expect, it } from 'vitest'
import { reconcileQueues } from '../../src/jobs/reconcile.ts'
import { createServices } from '../../src/services.ts'
import { seedDemoTenant } from '../../src/admin/seed.ts'
import { consoleGroup } from '../support/conversation.ts'
import { setupTestEnv } from '../support/harness.ts'
import { startTestWorkers } from '../support/pipeline.ts'
import { waitFor } from '../support/wait.ts'

const env = await setupTestEnv()
env.clock.set(new Date())
const prisma = env.ctx.prisma
const services = createServices(env.ctx)
// Reminder jobs fail for good while `broken` is set, as they did when the database was down for their whole retry ladder.
let broken = false
const { handleChat, fireReminder } = services
startTestWorkers(env, {
  handleChat,
  fireReminder: async (id) => {
    if (broken) throw new UnrecoverableError('simulated: every attempt used up')
    return fireReminder(id)
  },
})
const demo = (await seedDemoTenant(env.ctx))!
const group = (purpose: string) => demo.groups.find((g) => g.purpose === purpose)!.id
const agent = demo.members.find((m) => m.role === 'agent')!.id
// The unassigned alert after 3 seconds instead of 5 minutes.
await prisma.tenant.update({ where: { id: demo.tenantId }, data: { policy: { unassignedAlertMinutes: 0.05 } } })

describe('reconciliation and finished BullMQ jobs', () => {
  it('fires a reminder whose job failed for good, once, saying how late it is', async () => {
    broken = true
    const answer = await consoleGroup(env, group('front_desk')).say(agent, '报修 3-2-501 水管爆裂 紧急')
    const number = Number(answer.match(/#(\d+)/)?.[1])
    const alert = await prisma.reminder.findFirstOrThrow({ where: { tenantId: demo.tenantId, kind: 'repair.unassigned_alert' } })
    await waitFor(async () => (await env.ctx.queues.reminders.getJobState(alert.id)) === 'failed', { what: 'the reminder job to fail' })
    expect((await prisma.reminder.findUniqueOrThrow({ where: { id: alert.id } })).status).toBe('pending')

    // The system comes back four minutes after the reminder fell due.
    broken = false
    env.clock.set(new Date(alert.dueAt.getTime() + 4 * 60_000))
    const queued = await reconcileQueues(env.ctx)
    expect(queued.reminders).toBeGreaterThanOrEqual(1)
    const maintenance = consoleGroup(env, group('maintenance'))
    const text = await maintenance.expectMessage(new RegExp(`#${number} 已 .* 分钟无人接单`))
    expect(text).toContain('晚了 4 分钟')

    await reconcileQueues(env.ctx)
    await new Promise((resolve) => setTimeout(resolve, 1000))
    expect(await maintenance.count(new RegExp(`#${number} 已 .* 分钟无人接单`))).toBe(1)
    expect((await prisma.reminder.findUniqueOrThrow({ where: { id: alert.id } })).status).toBe('sent')
  })

  it('answers a handled command whose reply was never stored, though BullMQ holds its job as completed', async () => {
    // A command that committed (processed, no processedAt) and whose worker died before storing the reply.
    const messageId = randomUUID()
    const frontDesk = demo.groups.find((g) => g.purpose === 'front_desk')!
    const event = await prisma.inboundEvent.create({
      data: {
        tenantId: demo.tenantId,
        platform: 'console',
        dedupeKey: `${frontDesk.id}:${messageId}`,
        status: 'processed',
        receivedAt: new Date(Date.now() - 60_000),
        message: {
          platform: 'console',
          connectionId: null,
          chatId: frontDesk.externalId,
          chatType: 'group',
          sender: { userId: demo.members.find((m) => m.role === 'agent')!.externalUserId, name: '前台' },
          text: '报修 9-9-909 门锁坏了',
          mentions: [],
          messageId,
          receivedAt: new Date().toISOString(),
        },
      },
    })
    await env.ctx.queues.inbound.add('handle', { inboundEventIds: [event.id] }, { jobId: event.id })
    await waitFor(async () => (await env.ctx.queues.inbound.getJobState(event.id)) === 'completed', { what: 'the old job to complete' })
    // That run already fixed it; undo the reply to stand for the job that completed without one.
    await prisma.outgoingMessage.deleteMany({ where: { idempotencyKey: `reply:${event.id}` } })
    await prisma.inboundEvent.update({ where: { id: event.id }, data: { processedAt: null } })

    const queued = await reconcileQueues(env.ctx)
    expect(queued.inbound).toBe(1)
    const reply = await waitFor(() => prisma.outgoingMessage.findUnique({ where: { idempotencyKey: `reply:${event.id}` } }), { what: 'the reply' })
    expect(JSON.stringify(reply.payload)).toContain('您的指令已处理')
    await waitFor(async () => (await prisma.inboundEvent.findUniqueOrThrow({ where: { id: event.id } })).processedAt, { what: 'the event to be finished' })
    // The command itself was not run again.
    expect(await prisma.ticket.count({ where: { description: { contains: '门锁坏了' } } })).toBe(0)
  })
})
