import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { startDemoWorld } from '../support/demo.ts'
import { setupTestEnv } from '../support/harness.ts'
import { withAdminClient } from '../support/services.ts'
import { statementsOf, briefly, type CapturedStatement, type PlanNode } from '../support/statements.ts'
import { waitFor } from '../support/wait.ts'

/**
 * Firing reminders and delivering their messages must cost what the batch costs, not what the
 * history costs. The batch statements pass their rows as a JSON array, whose length the planner
 * cannot know: with 100,000 fired reminders and delivered messages behind them, every statement a
 * batch of firings and deliveries sends is planned here as a prepared statement's generic plan
 * (what a named statement runs after its fifth use), and must read by index only the batch's rows.
 */
const env = await setupTestEnv()
env.clock.set(new Date())
const world = await startDemoWorld(env)
const frontDesk = world.group('front_desk')
const maintenance = world.group('maintenance')
const HISTORY = 100_000

/** A bound value as a SQL literal's text (EXECUTE takes literals): dates as ISO, arrays as array literals, objects as JSON. */
function literalText(value: unknown): string {
  if (value instanceof Date) return value.toISOString()
  if (Array.isArray(value)) return `{${value.map((item) => JSON.stringify(String(item))).join(',')}}`
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}
const hot = ['Ticket', 'Reminder', 'OutgoingMessage', 'TicketEvent']

beforeAll(async () => {
  await withAdminClient(async (client) => {
    await client.query(`SET search_path = "${env.schema}"`)
    const tenant = world.demo.tenantId
    await client.query(
      `INSERT INTO "Ticket" (id, "tenantId", number, kind, status, unit, category, description, "reporterId", "createdAt", "updatedAt", "closedAt")
       SELECT 'h-' || n, $1, 1000 + n, 'repair', 'closed', '9-9-' || (n % 400), 'plumbing', '历史工单', $2, now() - interval '30 days', now(), now()
       FROM generate_series(1, $3::int) AS n`,
      [tenant, world.member('customer'), HISTORY],
    )
    await client.query(`UPDATE "Tenant" SET "lastTicketNumber" = $2 WHERE id = $1`, [tenant, 1000 + HISTORY])
    await client.query(
      `INSERT INTO "Reminder" (id, "tenantId", kind, "subjectType", "subjectId", "dueAt", status, "firedAt", attempts, recipients, "createdAt")
       SELECT 'r-' || n, $1, 'repair.unassigned_alert', 'ticket', 'h-' || n, now() - interval '30 days', 'sent', now() - interval '30 days', 1, '{}', now() - interval '30 days'
       FROM generate_series(1, $2::int) AS n`,
      [tenant, HISTORY],
    )
    const group = (await client.query(`SELECT id, "connectionId", platform, "externalId" FROM "ChatGroup" WHERE id = $1`, [maintenance])).rows[0]
    await client.query(
      `INSERT INTO "OutgoingMessage" (id, "tenantId", "connectionId", "groupId", platform, destination, payload, "idempotencyKey", status, attempts, "deliveredAt", "createdAt", "updatedAt")
       SELECT 'm-' || n, $1, $2, $3, $4, $3, '{"lines":["历史"]}', 'history:' || n, 'delivered', 1, now() - interval '30 days', now() - interval '30 days', now()
       FROM generate_series(1, $5::int) AS n`,
      [tenant, group.connectionId, maintenance, group.platform, HISTORY],
    )
    // As autovacuum does after a bulk load: without statistics the planner guesses.
    await client.query('ANALYZE "Ticket"; ANALYZE "Reminder"; ANALYZE "OutgoingMessage"')
  })
}, 120_000)

/** Reports urgent repairs and returns their unassigned alerts once stored and queued. */
async function reportRepairs(count: number): Promise<string[]> {
  for (let i = 0; i < count; i++) {
    const response = await env.app.inject({
      method: 'POST',
      url: `/console/groups/${frontDesk}/messages`,
      payload: { memberId: world.member('agent'), text: `报修 6-1-${101 + i} 厨房水管漏水 紧急`, messageId: randomUUID() },
    })
    expect(response.statusCode, response.body).toBe(202)
  }
  const pending = () => env.ctx.prisma.reminder.findMany({ where: { kind: 'repair.unassigned_alert', status: 'pending' }, select: { id: true } })
  await waitFor(async () => (await pending()).length >= count, { what: 'the new repairs' })
  const ids = (await pending()).map((r) => r.id)
  await waitFor(async () => (await Promise.all(ids.map((id) => env.ctx.queues.reminders.getJob(id)))).every(Boolean), { what: 'their jobs' })
  return ids
}

/** Generic-plan EXPLAIN ANALYZE of each statement, in a transaction that is rolled back. */
async function genericPlans(statements: CapturedStatement[]): Promise<{ text: string; plan: PlanNode }[]> {
  return withAdminClient(async (client) => {
    await client.query(`SET search_path = "${env.schema}"`)
    const plans = []
    for (const [i, statement] of statements.entries()) {
      await client.query('BEGIN')
      try {
        await client.query("SET LOCAL plan_cache_mode = 'force_generic_plan'")
        await client.query(`PREPARE s${i} AS ${statement.text}`)
        const args = statement.values.map((value) => (value === null || value === undefined ? 'NULL' : client.escapeLiteral(literalText(value)))).join(', ')
        const result = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE s${i}${args ? `(${args})` : ''}`)
        plans.push({ text: statement.text, plan: (result.rows[0]['QUERY PLAN'] as { Plan: PlanNode }[])[0].Plan })
      } finally {
        await client.query('ROLLBACK')
      }
    }
    return plans
  })
}

function scansOf(node: PlanNode): PlanNode[] {
  const own = node['Relation Name'] && hot.includes(node['Relation Name']) ? [node] : []
  return [...own, ...(node.Plans ?? []).flatMap(scansOf)]
}

describe('reminder firings and deliveries with 100,000 fired reminders and delivered messages behind them', () => {
  it('plan every statement on an index, reading only the rows of the batch', async () => {
    const reminders = await reportRepairs(3)
    await env.ctx.prisma.reminder.updateMany({ where: { id: { in: reminders } }, data: { dueAt: new Date() } })
    const statements = await statementsOf(async () => {
      await Promise.all((await Promise.all(reminders.map((id) => env.ctx.queues.reminders.getJob(id)))).map((job) => job!.promote()))
      await waitFor(
        async () => (await env.ctx.prisma.outgoingMessage.count({ where: { status: 'delivered', idempotencyKey: { in: reminders.map((id) => `reminder:${id}:${maintenance}`) } } })) === reminders.length,
        { what: 'the reminder messages delivered' },
      )
    })
    const touching = statements.filter((s) => hot.some((table) => s.text.includes(`"${table}"`)))
    expect(touching.length).toBeGreaterThan(3)
    for (const { text, plan } of await genericPlans(touching)) {
      for (const scan of scansOf(plan)) {
        const what = `${briefly({ text, values: [] })}: ${scan['Node Type']} on ${scan['Relation Name']}`
        expect(scan['Node Type'], what).not.toBe('Seq Scan')
        expect(scan['Actual Rows'] * scan['Actual Loops'] + (scan['Rows Removed by Filter'] ?? 0), what).toBeLessThan(1000)
      }
    }
  }, 120_000)
})
