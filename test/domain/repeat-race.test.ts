import { describe, expect, it } from 'vitest'
import { createRepairService } from '../../src/domain/tickets.ts'
import { setupTestEnv } from '../support/harness.ts'
import { createTeam } from './fixtures.ts'

/**
 * Reports of one tenant store one after the other under the lock their numbering takes, so
 * simultaneous reports of the same unit and category count each other: no repeat goes unflagged
 * and no number is handed out twice or skipped.
 */
const env = await setupTestEnv()
const prisma = env.ctx.prisma
const repairs = createRepairService({ prisma, clock: env.clock })
env.clock.set(new Date('2026-11-23T02:00:00Z'))

describe('simultaneous reports of one unit and category', () => {
  it('count each other, flag from the third on, and get consecutive numbers', async () => {
    const team = await createTeam(prisma)
    const reports = 8
    const created = await Promise.all(
      Array.from({ length: reports }, () =>
        repairs.createRepair({ tenantId: team.tenantId, reporterId: team.customer.id, groupId: team.frontDesk.id, unit: '3-2-501', description: '厨房水管漏水' }),
      ),
    )
    const byCount = [...created].sort((a, b) => a.repeatCount - b.repeatCount)
    expect(byCount.map((r) => r.repeatCount)).toEqual(Array.from({ length: reports }, (_, i) => i + 1))
    // Stored in number order: the n-th number counts n - 1 repairs before it.
    expect(byCount.map((r) => r.ticket.number)).toEqual(Array.from({ length: reports }, (_, i) => 1001 + i))
    expect(byCount.map((r) => r.ticket.repeatFlag)).toEqual(byCount.map((r) => r.repeatCount >= 3))
    const stored = await prisma.ticket.findMany({ where: { tenantId: team.tenantId }, orderBy: { number: 'asc' } })
    expect(stored.map((t) => [t.number, t.repeatFlag])).toEqual(byCount.map((r) => [r.ticket.number, r.ticket.repeatFlag]))
    const events = await prisma.ticketEvent.findMany({ where: { tenantId: team.tenantId, type: 'created' } })
    expect(events.map((e) => (e.data as { repeatCount: number }).repeatCount).sort((a, b) => a - b)).toEqual(byCount.map((r) => r.repeatCount))
  })
})
