import { describe, expect, it, vi } from 'vitest'
import { reconcileQueues } from '../../src/jobs/reconcile.ts'
import { consoleGroup } from '../support/conversation.ts'
import { startDemoWorld } from '../support/demo.ts'
import { setupTestEnv } from '../support/harness.ts'
import { sleep } from '../support/wait.ts'

// The worker dies right after the command's transaction committed, before anything was queued.
vi.mock('../../src/jobs/effects.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/jobs/effects.ts')>()
  let crashes = 1
  return {
    ...real,
    applyEffects: async (...args: Parameters<typeof real.applyEffects>) => {
      if (crashes-- > 0) throw new Error('simulated crash right after the commit')
      return real.applyEffects(...args)
    },
  }
})

const env = await setupTestEnv()
env.clock.set(new Date('2030-01-08T02:00:00Z'))
const world = await startDemoWorld(env)
const groupOf = world.group
const agent = world.member('agent')

describe('a crash right after a command committed', () => {
  it('loses neither the group notification nor the reminders, and runs the command once', async () => {
    const answer = await consoleGroup(env, groupOf('front_desk')).say(agent, '报修 3-2-501 厨房水管漏水 紧急')
    expect(answer).toContain('您的指令已处理')
    expect(await env.ctx.prisma.ticket.count()).toBe(1)

    // What the crash left unqueued is in the database; reconciliation (every few seconds) queues it,
    // reminders once they fall due within the horizon (here: of the test's clock, in 2030).
    const rebuilt = await reconcileQueues(env.ctx, { now: env.clock.now() })
    expect(rebuilt.outbound).toBeGreaterThanOrEqual(1)
    expect(rebuilt.reminders).toBeGreaterThanOrEqual(3)
    const maintenance = consoleGroup(env, groupOf('maintenance'))
    await maintenance.expectMessage(/新报修 #1001/)
    await sleep(300)
    expect(await maintenance.count(/新报修 #1001/)).toBe(1)
  })
})
