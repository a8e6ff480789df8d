import type { RepairPolicy } from '../policy.ts'
import type { Tx } from './types.ts'

/**
 * How many repairs of this unit and category fall in the repeat window, counting the one being
 * created. Cancelled tickets do not count (usually entered by mistake). A transaction-scoped
 * advisory lock on (tenant, unit, category) makes two simultaneous reports count each other.
 */
export async function countRepeats(
  tx: Tx,
  input: { tenantId: string; unit: string; category: string },
  policy: RepairPolicy,
  now: Date,
): Promise<{ count: number; flagged: boolean }> {
  const lockKey = `repeat:${input.tenantId}:${input.unit}:${input.category}`
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${lockKey}))`
  const since = new Date(now.getTime() - policy.repeatWindowDays * 24 * 3600_000)
  const earlier = await tx.ticket.count({
    where: {
      tenantId: input.tenantId,
      kind: 'repair',
      unit: input.unit,
      category: input.category,
      createdAt: { gte: since },
      status: { not: 'cancelled' },
    },
  })
  const count = earlier + 1
  return { count, flagged: count >= policy.repeatThreshold }
}
