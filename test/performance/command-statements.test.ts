import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { consoleChannel } from '../../src/platforms/console/sender.ts'
import { startDemoWorld } from '../support/demo.ts'
import { setupTestEnv } from '../support/harness.ts'
import { withAdminClient } from '../support/services.ts'
import { briefly, statementsOf } from '../support/statements.ts'
import { waitFor } from '../support/wait.ts'

/**
 * A command's cost is mostly its round trips to PostgreSQL: a 报修 once took 35 statements (each
 * Prisma upsert a transaction of its own, the tenant's rules and members re-read every time), then
 * 29 (the tenant, the sender and the group read again in the worker, a repeat count behind an
 * advisory lock, the reply stored after the commit and processedAt after that). Now the worker reads
 * the event with its group, sender and tenant settings version in one statement, numbers and stores
 * the ticket with its event, reminders, repeat count and mentions in one (the number was a statement
 * of its own before), and the reply with processedAt in one: 7 in the command with BEGIN and
 * COMMIT, 13 in all with the web side's 2 and 2 per delivery.
 * This counts every statement the process sends for one 报修, from the POST to the reply and the
 * maintenance group's notice both delivered, and holds it to that.
 */
const env = await setupTestEnv()
// The real time: reminders of the new tickets are then minutes away and do not fire during the count.
env.clock.set(new Date())
const world = await startDemoWorld(env)
const frontDesk = world.group('front_desk')
const maintenance = world.group('maintenance')

/** Posts a 报修 as the front-desk agent and resolves once its reply and its notice are delivered and every queue is idle. */
async function report(unit: string): Promise<void> {
  const subscriber = env.ctx.redis.duplicate()
  const published: string[] = []
  subscriber.on('message', (channel) => published.push(channel))
  await subscriber.subscribe(consoleChannel(env.ctx, frontDesk), consoleChannel(env.ctx, maintenance))
  try {
    const response = await env.app.inject({
      method: 'POST',
      url: `/console/groups/${frontDesk}/messages`,
      payload: { memberId: world.member('agent'), text: `报修 ${unit} 厨房水管漏水 紧急`, messageId: randomUUID() },
    })
    expect(response.statusCode, response.body).toBe(202)
    await waitFor(() => published.length >= 2, { what: 'the reply and the maintenance notice' })
    // Delivery marks its row after publishing: wait (on Redis only) until no job is left running.
    await waitFor(async () => {
      const [inbound, outbound] = await Promise.all([env.ctx.queues.inbound.getJobCounts('active', 'wait'), env.ctx.queues.outbound.getJobCounts('active', 'wait')])
      return inbound.active + inbound.wait + outbound.active + outbound.wait === 0
    }, { what: 'idle queues' })
  } finally {
    subscriber.disconnect()
  }
}

const STATEMENTS_BOUND = 13

describe('statements per 报修', () => {
  it(`a 报修 from a known member costs at most ${STATEMENTS_BOUND} SQL statements end to end, deliveries included`, async () => {
    await report('3-2-501') // the member's first sight and first reads are not the steady state
    const sent = (await statementsOf(() => report('3-2-502'))).map(briefly)
    console.log(`statements for one 报修: ${sent.length}`)
    expect(sent.length, sent.join('\n')).toBeLessThanOrEqual(STATEMENTS_BOUND)
  })

  it('a tenant setting changed by another process holds from the next 报修 on, for one read of the tenant', async () => {
    await report('3-2-503')
    // Another connection, as another process would: nothing in this one hears of the change.
    await withAdminClient(async (client) => {
      await client.query(`SET search_path = "${env.schema}"`)
      await client.query(`UPDATE "Tenant" SET policy = policy || '{"onSiteMinutes": 25}'::jsonb WHERE id = $1`, [world.demo.tenantId])
    })
    const tenantReads = async (unit: string) => (await statementsOf(() => report(unit))).map(briefly).filter((line) => line.startsWith('SELECT "Tenant".')).length
    expect(await tenantReads('3-2-504')).toBe(1)
    const ticket = await env.ctx.prisma.ticket.findFirstOrThrow({ where: { tenantId: world.demo.tenantId, unit: '3-2-504' } })
    expect(ticket.respondBy!.getTime() - ticket.createdAt.getTime()).toBe(25 * 60_000)
    expect(await tenantReads('3-2-505')).toBe(0)
  })
})
