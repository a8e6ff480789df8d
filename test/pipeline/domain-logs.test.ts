import { describe, expect, it } from 'vitest'
import { consoleGroup } from '../support/conversation.ts'
import { startDemoWorld } from '../support/demo.ts'
import { setupTestEnv } from '../support/harness.ts'
import { captureLog } from '../support/log-capture.ts'
import { waitFor } from '../support/wait.ts'

/**
 * What an operator reads: one info line per domain event, with ids to follow it by, and never the
 * resident's phone number or what they wrote.
 */
const env = await setupTestEnv()
const captured = captureLog()
env.ctx.log = captured.log
const world = await startDemoWorld(env)
const frontDesk = consoleGroup(env, world.group('front_desk'))

interface LogLine {
  msg: string
  [field: string]: unknown
}
const lines = () => captured.lines<LogLine>()

describe('domain events in the log', () => {
  it('logs the handled command by name and each delivered message, with ids and no personal data', async () => {
    await frontDesk.say(world.member('agent'), '报修 3-2-501 厨房水管漏水 紧急 13800138000')
    const handled = await waitFor(async () => lines().find((line) => line.msg === 'command handled'), { what: 'a "command handled" line' })
    expect(handled).toMatchObject({ command: 'repair-create', tenantId: world.demo.tenantId, platform: 'console', replied: true })
    expect(handled.inboundEventId).toEqual(expect.any(String))
    expect(handled.durationMs).toEqual(expect.any(Number))

    const deliveredLines = () => lines().filter((line) => line.msg === 'message delivered')
    await waitFor(async () => deliveredLines().length >= 2, { what: 'the reply and the maintenance alert delivered' })
    const delivered = deliveredLines()
    for (const line of delivered) expect(line).toMatchObject({ tenantId: world.demo.tenantId, platform: 'console', outgoingMessageId: expect.any(String) })

    expect(captured.text()).not.toContain('13800138000')
    expect(captured.text()).not.toContain('厨房水管漏水')
  })
})
