import type { Tx } from '../tickets/types.ts'
import type { ComplaintPolicy } from './policy.ts'

/**
 * A home (3-2-501, A-1203, 3栋2单元501室) stands for the household living there; a public place
 * (地下车库B2, 1号楼大堂) is shared by everyone, so two neighbours complaining about it are not
 * one person complaining twice. Units arrive normalised (upper case, no spaces).
 */
export function isHomeUnit(unit: string): boolean {
  return /^(?:[A-Z0-9]|号楼|栋|幢|座|单元|室|号|房|-)+$/.test(unit) && /\d/.test(unit)
}

/**
 * How many complaints on this topic came from the same phone, or the same home, within the
 * repeat window, counting the one being created (domain.md: the same person twice or more about
 * the same matter is reported). About a public place only the phone says who complained. A
 * transaction-scoped advisory lock on the topic makes two simultaneous recordings count each other.
 */
export async function countRepeatComplaints(
  tx: Tx,
  input: { tenantId: string; unit: string; contactPhone: string | null; topic: string },
  policy: ComplaintPolicy,
  now: Date,
): Promise<{ count: number; flagged: boolean }> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`complaint-repeat:${input.tenantId}:${input.topic}`}))`
  const since = new Date(now.getTime() - policy.repeatWindowDays * 24 * 3600_000)
  const same = [...(isHomeUnit(input.unit) ? [{ unit: input.unit }] : []), ...(input.contactPhone ? [{ contactPhone: input.contactPhone }] : [])]
  // A public place and no phone: nothing says who this is, so it cannot be a repeat.
  if (same.length === 0) return { count: 1, flagged: 1 >= policy.repeatThreshold }
  const earlier = await tx.ticket.count({
    where: { tenantId: input.tenantId, kind: 'complaint', category: input.topic, createdAt: { gte: since }, status: { not: 'cancelled' }, OR: same },
  })
  const count = earlier + 1
  return { count, flagged: count >= policy.repeatThreshold }
}
