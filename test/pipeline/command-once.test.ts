import { describe, expect, it } from 'vitest'
import { consoleGroup } from '../support/conversation.ts'
import { startDemoWorld } from '../support/demo.ts'
import { setupTestEnv } from '../support/harness.ts'
import { sleep } from '../support/wait.ts'

const env = await setupTestEnv()
env.clock.set(new Date('2030-01-08T02:00:00Z'))
// The worker dies right after the command committed, before its reply was queued.
let crashes = 1
const world = await startDemoWorld(env, {
  wrapChat: (real) => async (ctx, input) => {
    const reply = await real(ctx, input)
    if (input.message.text.startsWith('报修') && crashes-- > 0) throw new Error('simulated crash after the command committed')
    return reply
  },
})
const groupOf = world.group
const agent = world.member('agent')

describe('a command whose worker crashes after it committed', () => {
  it('is not run again by the retry, and the reporter still gets an answer', async () => {
    const frontDesk = consoleGroup(env, groupOf('front_desk'))
    const answer = await frontDesk.say(agent, '报修 3-2-501 厨房水管漏水')
    expect(answer).toContain('您的指令已处理')
    await sleep(500)
    expect(await env.ctx.prisma.ticket.count()).toBe(1)
    const maintenance = consoleGroup(env, groupOf('maintenance'))
    expect(await maintenance.count(/新报修 #1001/)).toBe(1)
    const event = await env.ctx.prisma.inboundEvent.findFirstOrThrow()
    expect(event.status).toBe('processed')
  })
})
