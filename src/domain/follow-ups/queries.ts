import type { Booking, FollowUp, Member, Ticket } from '../../generated/prisma/client.ts'
import type { Tx } from '../tickets/types.ts'

export type DueFollowUp = FollowUp & { ticket: Ticket | null; booking: Booking | null; assignee: Member | null }

/**
 * The follow-ups someone should make now (the window has opened), overdue first, then by due
 * time: a supervisor sees all of the tenant's, anyone else those assigned to them or to nobody.
 */
export async function listDueFollowUps(db: Tx, input: { tenantId: string; viewer: Pick<Member, 'id' | 'roles'>; now: Date; limit?: number }): Promise<DueFollowUp[]> {
  const everyone = input.viewer.roles.includes('supervisor') || input.viewer.roles.includes('admin')
  const rows = await db.followUp.findMany({
    where: {
      tenantId: input.tenantId,
      status: { in: ['pending', 'overdue'] },
      dueFrom: { lte: input.now },
      ...(everyone ? {} : { OR: [{ assigneeId: input.viewer.id }, { assigneeId: null }] }),
    },
    include: { ticket: true, booking: true, assignee: true },
    orderBy: [{ dueBy: 'asc' }, { createdAt: 'asc' }],
    take: input.limit ?? 50,
  })
  const late = (row: DueFollowUp) => (row.status === 'overdue' || row.dueBy < input.now ? 0 : 1)
  return rows.sort((a, b) => late(a) - late(b) || a.dueBy.getTime() - b.dueBy.getTime())
}

export interface FollowUpFilter {
  tenantId: string
  viewer: Pick<Member, 'id' | 'roles'>
  /** One status or several (the queue: pending and overdue). */
  status?: FollowUp['status'] | FollowUp['status'][]
  /** Due (dueBy) within [dueFrom, dueUntil). */
  dueFrom?: Date
  dueUntil?: Date
}

/**
 * Every follow-up matching the filter, by due time (the queue and its export), with the same
 * visibility rule as the due list: supervisors see all, anyone else theirs or nobody's.
 */
export function listFollowUps(db: Tx, filter: FollowUpFilter, take = 200): Promise<DueFollowUp[]> {
  const everyone = filter.viewer.roles.includes('supervisor') || filter.viewer.roles.includes('admin')
  return db.followUp.findMany({
    where: {
      tenantId: filter.tenantId,
      ...(filter.status ? { status: Array.isArray(filter.status) ? { in: filter.status } : filter.status } : {}),
      ...(filter.dueFrom || filter.dueUntil ? { dueBy: { ...(filter.dueFrom ? { gte: filter.dueFrom } : {}), ...(filter.dueUntil ? { lt: filter.dueUntil } : {}) } } : {}),
      ...(everyone ? {} : { OR: [{ assigneeId: filter.viewer.id }, { assigneeId: null }] }),
    },
    include: { ticket: true, booking: true, assignee: true },
    orderBy: [{ dueBy: 'asc' }, { createdAt: 'asc' }],
    take,
  })
}
