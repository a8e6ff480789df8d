import { beforeAll, describe, expect, it } from 'vitest'
import { consoleGroup } from '../support/conversation.ts'
import { startDemoWorld } from '../support/demo.ts'
import { setupTestEnv } from '../support/harness.ts'
import { withAdminClient } from '../support/services.ts'
import { plansOf, selectsOf, type CapturedStatement, type PlanNode } from '../support/statements.ts'

/**
 * Chat queries must cost what the answer costs, not what the history costs: with 100,000 closed
 * tickets, every query on "Ticket" the chat commands run is planned on an index that matches its
 * filter, and reads only the rows it returns (no sequential scan, no walk through the history).
 */
const env = await setupTestEnv()
const world = await startDemoWorld(env)
const frontDesk = consoleGroup(env, world.group('front_desk'))
const maintenance = consoleGroup(env, world.group('maintenance'))
const tenantId = world.demo.tenantId
const HISTORY = 100_000

beforeAll(async () => {
  // Years of closed tickets (the lower numbers), then today's open ones made the normal way.
  await withAdminClient(async (client) => {
    await client.query(`SET search_path = "${env.schema}"`)
    await client.query(
      `INSERT INTO "Ticket" (id, "tenantId", number, kind, status, unit, category, description, "reporterId", "assigneeId", "createdAt", "updatedAt", "closedAt")
       SELECT gen_random_uuid(), $1, 1000 + n, 'repair', (CASE WHEN n % 50 = 0 THEN 'cancelled' ELSE 'closed' END)::"TicketStatus",
              '9-9-' || (n % 400), 'plumbing', '历史工单', $2, $3,
              now() - make_interval(hours => $4::int - n), now() - make_interval(hours => $4::int - n), now() - make_interval(hours => $4::int - n)
       FROM generate_series(1, $4::int) AS n`,
      [tenantId, world.member('customer'), world.member('technician'), HISTORY],
    )
    await client.query(`UPDATE "Tenant" SET "lastTicketNumber" = $2 WHERE id = $1`, [tenantId, 1000 + HISTORY])
    // As autovacuum does after a bulk load: without statistics the planner guesses.
    await client.query('ANALYZE "Ticket"')
  })
  for (const unit of ['3-2-501', '3-2-502', '5-1-101']) await frontDesk.say(world.member('agent'), `报修 ${unit} 厨房水管漏水`)
  await maintenance.say(world.member('technician'), `接单 #${1001 + HISTORY}`)
}, 120_000)

async function explainEach(statements: CapturedStatement[]) {
  return withAdminClient(async (client) => {
    await client.query(`SET search_path = "${env.schema}"`)
    return plansOf(client, statements)
  })
}

function ticketScans(node: PlanNode): PlanNode[] {
  const own = node['Relation Name'] === 'Ticket' ? [node] : []
  return [...own, ...(node.Plans ?? []).flatMap(ticketScans)]
}

/** The SELECTs on "Ticket" that `run` sends. */
async function ticketReadsOf(run: () => Promise<unknown>): Promise<CapturedStatement[]> {
  return (await selectsOf(run)).filter((statement) => statement.text.includes('"Ticket"'))
}

describe('chat queries with 100,000 closed tickets in the history', () => {
  const commands: [string, () => Promise<unknown>][] = [
    ['待办 (front desk)', () => frontDesk.say(world.member('agent'), '待办')],
    ['待办 已派单', () => frontDesk.say(world.member('agent'), '待办 已派单')],
    ['我的工单 (technician)', () => maintenance.say(world.member('technician'), '我的工单')],
    ['我的工单 (customer)', () => frontDesk.say(world.member('customer'), '我的工单')],
    ['查 #N', () => frontDesk.say(world.member('agent'), `查 #${1002 + HISTORY}`)],
  ]

  it.each(commands)('%s reads tickets through a matching index, never the history', async (_name, run) => {
    const statements = await ticketReadsOf(run)
    expect(statements.length, 'the command should read tickets').toBeGreaterThan(0)
    for (const { text, plan } of await explainEach(statements)) {
      for (const scan of ticketScans(plan)) {
        const where = `${scan['Node Type']} ${scan['Index Name'] ?? ''} for: ${text.slice(text.indexOf("WHERE"), text.indexOf("WHERE") + 400)}`
        expect(scan['Node Type'], where).not.toBe('Seq Scan')
        const read = scan['Actual Rows'] * scan['Actual Loops'] + (scan['Rows Removed by Filter'] ?? 0)
        // The answers hold a handful of open tickets; reading more than a page means walking history.
        expect(read, where).toBeLessThan(200)
      }
    }
  })
})
