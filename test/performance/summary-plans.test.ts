import { beforeAll, describe, expect, it } from 'vitest'
import { dailyFigures, localDateOf, trend, type ReportScope } from '../../src/domain/reports/index.ts'
import { setupTestEnv } from '../support/harness.ts'
import { historyScans, seedReportHistory } from '../support/report-history.ts'
import { plansOf, selectsOf, type CapturedStatement } from '../support/statements.ts'
import { withAdminClient } from '../support/services.ts'

/**
 * The daily summary must cost what the day costs, not what the history costs: with 100,000
 * tickets over two years (and their follow-ups, reminders and 10,000 bookings), every statement
 * a summary sends reaches Ticket, Booking, FollowUp and Reminder through an index and reads about
 * a day's rows (plus what is still open), never the history.
 */
const env = await setupTestEnv()
const prisma = env.ctx.prisma
const timeZone = 'Asia/Shanghai'
const tenant = await prisma.tenant.create({ data: { name: '日报计划物业', timeZone } })
const now = new Date()
const date = localDateOf(now, timeZone)
/** A day has about 140 tickets and 14 bookings; 500 tickets and a week's missed call-backs stay open. */
const MAX_ROWS_PER_SCAN = 1_500

beforeAll(async () => {
  await withAdminClient(async (client) => {
    await client.query(`SET search_path = "${env.schema}"`)
    await seedReportHistory(client, { tenantId: tenant.id, tickets: 100_000, bookings: 10_000, now })
  })
}, 120_000)

async function explainEach(statements: CapturedStatement[]) {
  return withAdminClient(async (client) => {
    await client.query(`SET search_path = "${env.schema}"`)
    return plansOf(client, statements)
  })
}

const summaries: [string, () => Promise<unknown>][] = [
  ...(['front_desk', 'maintenance', 'management', 'customer_service'] as ReportScope[]).map(
    (scope): [string, () => Promise<unknown>] => [`dailyFigures ${scope}`, () => dailyFigures(prisma, { tenantId: tenant.id, date, scope })],
  ),
  ['trend, 7 days', () => trend(prisma, { tenantId: tenant.id, days: 7, until: date })],
]

describe('the daily summary with 100,000 tickets of history', () => {
  it('counts a normal day from the seeded history', async () => {
    const figures = await dailyFigures(prisma, { tenantId: tenant.id, date, scope: 'management' })
    const desk = await dailyFigures(prisma, { tenantId: tenant.id, date, scope: 'front_desk' })
    // About 137 tickets a day, a fifth of them complaints: today so far and all of yesterday.
    expect(desk.work!.repairs.created.previous).toBeGreaterThan(90)
    expect(desk.work!.complaints.created.previous).toBeGreaterThan(20)
    expect(desk.work!.repairs.open.value).toBeGreaterThan(300)
    expect(figures.management!.coverage.find((line) => line.group === 'repair')!.owed).toBeGreaterThan(0)
  })

  it.each(summaries)('%s reads the history tables through indexes, a day’s rows at a time', async (_name, run) => {
    const statements = await selectsOf(run)
    const touched = new Set<string>()
    for (const { text, plan } of await explainEach(statements)) {
      for (const { node, read } of historyScans(plan)) {
        touched.add(node['Relation Name']!)
        const where = `${node['Node Type']} ${node['Index Name'] ?? ''} (${read} rows) for: ${text.replace(/\s+/g, ' ').slice(0, 300)}`
        expect(node['Node Type'], where).not.toBe('Seq Scan')
        expect(read, where).toBeLessThan(MAX_ROWS_PER_SCAN)
      }
    }
    // The checks above looked at the tables the summary is about.
    expect([...touched]).toEqual(expect.arrayContaining(['Ticket']))
  }, 60_000)

  it('all of a summary together touches every history table', async () => {
    const statements = await selectsOf(async () => {
      for (const [, run] of summaries) await run()
    })
    const tables = new Set((await explainEach(statements)).flatMap(({ plan }) => historyScans(plan).map(({ node }) => node['Relation Name'])))
    expect([...tables].sort()).toEqual(['Booking', 'FollowUp', 'Reminder', 'Ticket'])
  }, 60_000)
})
