import type { ChatGroup, FollowUp, Member, Ticket, TicketEvent, TicketStatus } from '../../generated/prisma/client.ts'
import { domainError } from '../errors.ts'
import type { Tx } from './types.ts'

export interface TimelineEntry extends TicketEvent {
  actorName: string | null
}

export interface TicketDetails {
  ticket: Ticket & { reporter: Member | null; assignee: Member | null; group: ChatGroup | null }
  timeline: TimelineEntry[]
  followUps: FollowUp[]
}

/** Within one instant, causes come before what they caused (a follow-up before its reopening). */
const sameInstantRank: Record<string, number> = { created: 0, followup_recorded: 1, reopened: 2 }
const rankOf = (type: string) => sameInstantRank[type] ?? 1

export async function showRepair(db: Tx, input: { tenantId: string; number: number }): Promise<TicketDetails> {
  const ticket = await db.ticket.findFirst({
    where: { tenantId: input.tenantId, number: input.number, kind: 'repair' },
    include: { reporter: true, assignee: true, group: true },
  })
  if (!ticket) throw domainError('ticket.not_found', { number: input.number })
  const [events, followUps] = await Promise.all([
    db.ticketEvent.findMany({ where: { ticketId: ticket.id, tenantId: input.tenantId }, orderBy: { at: 'asc' } }),
    db.followUp.findMany({ where: { ticketId: ticket.id, tenantId: input.tenantId }, orderBy: { dueBy: 'asc' } }),
  ])
  const actorIds = [...new Set(events.map((event) => event.actorId).filter((id): id is string => id !== null))]
  const actors = await db.member.findMany({ where: { id: { in: actorIds }, tenantId: input.tenantId }, select: { id: true, name: true } })
  const names = new Map(actors.map((actor) => [actor.id, actor.name]))
  const timeline = events
    .map((event) => ({ ...event, actorName: event.actorId ? (names.get(event.actorId) ?? null) : null }))
    .sort((a, b) => a.at.getTime() - b.at.getTime() || rankOf(a.type) - rankOf(b.type))
  return { ticket, timeline, followUps }
}

export interface ListOpenInput {
  tenantId: string
  /** One of the unfinished statuses; all of them when absent. */
  status?: Extract<TicketStatus, 'open' | 'assigned' | 'on_site'>
  assigneeId?: string
  limit?: number
}

export async function listOpenRepairs(db: Tx, input: ListOpenInput): Promise<(Ticket & { assignee: Member | null })[]> {
  return db.ticket.findMany({
    where: {
      tenantId: input.tenantId,
      kind: 'repair',
      status: input.status ?? { in: ['open', 'assigned', 'on_site'] },
      ...(input.assigneeId ? { assigneeId: input.assigneeId } : {}),
    },
    include: { assignee: true },
    orderBy: { number: 'asc' },
    take: input.limit ?? 100,
  })
}
