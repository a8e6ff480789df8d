import { describe, expect, it } from 'vitest'
import { followUpCoverage, monthPeriod } from '../../src/domain/follow-ups/coverage.ts'
import type { FollowUpOutcome, FollowUpStatus } from '../../src/generated/prisma/client.ts'
import { setupTestEnv } from '../support/harness.ts'

const env = await setupTestEnv()
const prisma = env.ctx.prisma
const tenant = await prisma.tenant.create({ data: { name: '统计物业' } })
const other = await prisma.tenant.create({ data: { name: '别家物业' } })
let number = 2000
const ticket = (tenantId: string, kind: 'repair' | 'complaint') => prisma.ticket.create({ data: { tenantId, number: number++, kind, description: '—' } })

type Row = [kind: string, status: FollowUpStatus, outcome: FollowUpOutcome | null, rating: number | null, dueBy: string]
async function seed(tenantId: string, rows: Row[]) {
  for (const [kind, status, outcome, rating, dueBy] of rows) {
    const t = await ticket(tenantId, kind === 'complaint' ? 'complaint' : 'repair')
    await prisma.followUp.create({ data: { tenantId, ticketId: t.id, kind, status, outcome, rating, dueFrom: new Date(dueBy), dueBy: new Date(dueBy) } })
  }
}

// March 2030 in Shanghai: 2030-02-28T16:00Z up to 2030-03-31T16:00Z.
await seed(tenant.id, [
  ['complaint', 'done', 'satisfied', 5, '2030-03-02T09:30:00Z'],
  ['complaint', 'done', 'unsatisfied', 2, '2030-03-10T09:30:00Z'],
  ['complaint', 'done', 'unreachable', null, '2030-03-20T09:30:00Z'],
  ['complaint', 'overdue', null, null, '2030-03-25T09:30:00Z'],
  ['repair_callback', 'done', 'satisfied', 4, '2030-03-05T09:30:00Z'],
  ['repair_callback', 'done', 'satisfied', null, '2030-03-06T09:30:00Z'],
  ['repair_quality', 'done', 'satisfied', 3, '2030-03-31T15:59:00Z'],
  ['repair_callback', 'cancelled', null, null, '2030-03-07T09:30:00Z'],
  // Outside the month: the last minute of February and the first of April (local time).
  ['repair_callback', 'pending', null, null, '2030-02-28T15:59:00Z'],
  ['complaint', 'pending', null, null, '2030-03-31T16:00:00Z'],
])
await seed(other.id, [['complaint', 'pending', null, null, '2030-03-15T09:30:00Z']])

describe('follow-up coverage', () => {
  it('matches a hand count for a seeded month: owed, reached, unreachable, targets and satisfaction', async () => {
    const march = monthPeriod(new Date('2030-03-15T04:00:00Z'), 'Asia/Shanghai')
    expect(march).toEqual({ from: new Date('2030-02-28T16:00:00Z'), to: new Date('2030-03-31T16:00:00Z') })
    const lines = await followUpCoverage(prisma, { tenantId: tenant.id, ...march })
    const byGroup = Object.fromEntries(lines.map((line) => [line.group, line]))
    // Complaints: 4 owed, 2 reached (the unreachable one and the overdue one are not), target 100%.
    expect(byGroup.complaint).toMatchObject({ owed: 4, reached: 2, unreachable: 1, rate: 0.5, target: 1, met: false, satisfied: 1, averageRating: 3.5 })
    // Repairs: 3 owed (the cancelled one is not), all reached, target 95%; ratings 4 and 3.
    expect(byGroup.repair).toMatchObject({ owed: 3, reached: 3, unreachable: 0, rate: 1, target: 0.95, met: true, satisfied: 3, averageRating: 3.5 })
    expect(byGroup.service).toMatchObject({ owed: 0, reached: 0, rate: null, met: true, averageRating: null })
  })

  it('the month before is its own period', async () => {
    const february = monthPeriod(new Date('2030-03-15T04:00:00Z'), 'Asia/Shanghai', -1)
    const lines = await followUpCoverage(prisma, { tenantId: tenant.id, ...february })
    expect(lines.find((line) => line.group === 'repair')).toMatchObject({ owed: 1, reached: 0, rate: 0, met: false })
  })
})
