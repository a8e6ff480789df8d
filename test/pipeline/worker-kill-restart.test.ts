import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { seedDemoTenant } from '../../src/admin/seed.ts'
import { setupTestEnv } from '../support/harness.ts'
import { waitFor } from '../support/wait.ts'
import { workerProcesses } from '../support/worker-processes.ts'

// This process only accepts messages (the console); a separate worker process runs them and is
// killed with SIGKILL in the middle of the work, then started again.
const env = await setupTestEnv()
const prisma = env.ctx.prisma
const demo = (await seedDemoTenant(env.ctx))!
const frontDeskId = demo.groups.find((g) => g.purpose === 'front_desk')!.id
const agentId = demo.members.find((m) => m.role === 'agent')!.id

const workers = workerProcesses(env, { cleanExit: false })

const COMMANDS = 40

describe('a worker killed with SIGKILL mid-batch and restarted at once', () => {
  it('runs every command exactly once and answers each one', async () => {
    const first = await workers.start()
    const posted = await Promise.all(
      Array.from({ length: COMMANDS }, async (_, i) => {
        const messageId = randomUUID()
        const response = await env.app.inject({
          method: 'POST',
          url: `/console/groups/${frontDeskId}/messages`,
          payload: { memberId: agentId, text: `报修 ${i + 1}-1-101 水管漏水第${i + 1}号`, messageId },
        })
        expect(response.statusCode).toBe(202)
        return messageId
      }),
    )
    // Kill it while it is part-way through.
    await waitFor(async () => (await prisma.ticket.count()) >= 3, { timeoutMs: 30_000, what: 'the worker to start on the commands' })
    first.child.kill('SIGKILL')
    await new Promise((resolve) => first.child.once('exit', resolve))
    const doneBeforeCrash = await prisma.ticket.count()
    expect(doneBeforeCrash).toBeLessThan(COMMANDS)

    await workers.start()
    const events = () => prisma.inboundEvent.findMany({ where: { tenantId: demo.tenantId } })
    await waitFor(async () => (await events()).every((e) => e.status === 'processed' && e.processedAt), {
      timeoutMs: 90_000,
      intervalMs: 500,
      what: 'every event handled after the restart',
    })

    // Exactly once: one ticket per command, and one delivered reply per message.
    const tickets = await prisma.ticket.findMany({ where: { tenantId: demo.tenantId } })
    expect(tickets).toHaveLength(COMMANDS)
    expect(new Set(tickets.map((t) => t.description)).size).toBe(COMMANDS)
    const handled = await events()
    expect(handled).toHaveLength(COMMANDS)
    await waitFor(
      async () => {
        const replies = await prisma.outgoingMessage.findMany({ where: { idempotencyKey: { in: handled.map((e) => `reply:${e.id}`) } } })
        return replies.length === COMMANDS && replies.every((r) => r.status === 'delivered')
      },
      // A delivery whose job died with the worker runs again once BullMQ finds it stalled: its lock
      // lapses after 30 s and the stall check runs every 30 s, so up to a minute on a busy machine.
      { timeoutMs: 90_000, intervalMs: 500, what: 'a delivered reply to every command' },
    )
    const repliedTo = await prisma.outgoingMessage.findMany({ where: { idempotencyKey: { startsWith: 'reply:' } }, select: { replyToMessageId: true } })
    expect(new Set(repliedTo.map((r) => r.replyToMessageId))).toEqual(new Set(posted))
  }, 240_000)
})
