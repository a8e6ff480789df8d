import type { Job, Worker } from 'bullmq'
import { describe, expect, it } from 'vitest'
import { createProcessors } from '../../src/jobs/processors.ts'
import type { QueuePayloads } from '../../src/jobs/queues.ts'
import { ensureSchedulers } from '../../src/jobs/upkeep.ts'
import { sweepExpiredSessions } from '../../src/workspace/auth/sessions.ts'
import { setupTestEnv } from '../support/harness.ts'
import { createTenant, signedIn, staffAccount } from './support.ts'

const env = await setupTestEnv()
const tenantId = await createTenant(env, '阳光物业')

const noChat = { handleChat: async () => {}, fireReminder: async () => {} } as unknown as Parameters<typeof createProcessors>[1]
/** The maintenance processor a worker runs, handed the job its scheduler queues. */
const runMaintenance = (task: QueuePayloads['maintenance']['task']) =>
  createProcessors(env.ctx, noChat).maintenance!.process({ data: { task } } as Job<QueuePayloads['maintenance']>, {} as Worker)

describe('expired workspace sessions', () => {
  it('are swept by the worker upkeep for members who never sign in again, in batches, keeping live sessions', async () => {
    const away = await staffAccount(env, tenantId, ['agent'], '休假的小李')
    const active = await staffAccount(env, tenantId, ['supervisor'], '王主任')
    const awayLogin = await env.ctx.prisma.workspaceLogin.findUniqueOrThrow({ where: { memberId: away.memberId } })
    // Months of sign-ins by a member who then went on leave: none of them is live any more.
    const now = env.clock.now()
    await env.ctx.prisma.workspaceSession.createMany({
      data: Array.from({ length: 2345 }, (_, i) => ({ tokenHash: `old-${i}`, loginId: awayLogin.id, tenantId, expiresAt: new Date(now.getTime() - (i + 1) * 60_000) })),
    })
    const live = await signedIn(env, active)

    expect(await sweepExpiredSessions(env.ctx.prisma, now, 500)).toBe(2345)
    expect(await env.ctx.prisma.workspaceSession.count({ where: { loginId: awayLogin.id } })).toBe(0)
    const page = await env.app.inject({ method: 'GET', url: '/workspace/tickets', cookies: live })
    expect(page.statusCode).toBe(200)

    // Twelve hours on, the supervisor's session has expired too, and the scheduled task clears it.
    env.clock.advance(12 * 60 * 60_000 + 1)
    expect(await runMaintenance('expired-sessions')).toBe(1)
    expect(await env.ctx.prisma.workspaceSession.count({ where: { tenantId } })).toBe(0)
  })

  it('has its own scheduler, registered again whenever Redis has lost it', async () => {
    await ensureSchedulers(env.ctx)
    const scheduler = await env.ctx.queues.maintenance.getJobScheduler('expired-sessions')
    expect(scheduler?.every).toBe(60 * 60_000)
    await env.ctx.queues.maintenance.removeJobScheduler('expired-sessions')
    await ensureSchedulers(env.ctx)
    expect(await env.ctx.queues.maintenance.getJobScheduler('expired-sessions')).toBeTruthy()
  })
})
