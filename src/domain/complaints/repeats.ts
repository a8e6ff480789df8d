import type { Tx } from '../tickets/types.ts'
import type { ComplaintPolicy } from './policy.ts'

/**
 * How many complaints on this topic came from the same phone or the same unit within the repeat
 * window, counting the one being created (domain.md: the same person twice or more about the same
 * matter is reported). A transaction-scoped advisory lock on the topic makes two simultaneous
 * recordings count each other.
 */
export async function countRepeatComplaints(
  tx: Tx,
  input: { tenantId: string; unit: string; contactPhone: string | null; topic: string },
  policy: ComplaintPolicy,
  now: Date,
): Promise<{ count: number; flagged: boolean }> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`complaint-repeat:${input.tenantId}:${input.topic}`}))`
  const since = new Date(now.getTime() - policy.repeatWindowDays * 24 * 3600_000)
  const same = input.contactPhone ? [{ unit: input.unit }, { contactPhone: input.contactPhone }] : [{ unit: input.unit }]
  const earlier = await tx.ticket.count({
    where: { tenantId: input.tenantId, kind: 'complaint', category: input.topic, createdAt: { gte: since }, status: { not: 'cancelled' }, OR: same },
  })
  const count = earlier + 1
  return { count, flagged: count >= policy.repeatThreshold }
}
