import type { ChatGroup, FollowUp, Member, Ticket, TicketEvent, TicketStatus } from '../../generated/prisma/client.ts'
import { domainError } from '../errors.ts'
import { isStaff } from './members.ts'
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

/** Who is looking: staff see every ticket of the tenant, a customer only those they reported. */
export type Viewer = Pick<Member, 'id' | 'roles'>

/** Members have no unit of their own, so what a customer reported is what is theirs. */
function visibleTo(viewer: Viewer | undefined) {
  return viewer && !isStaff(viewer) ? { reporterId: viewer.id } : {}
}

export interface ShowRepairInput {
  tenantId: string
  number: number
  viewer?: Viewer
}

export async function showRepair(db: Tx, input: ShowRepairInput): Promise<TicketDetails> {
  const ticket = await db.ticket.findFirst({
    // Repairs and complaints share numbering, the timeline and 查 #N.
    where: { tenantId: input.tenantId, number: input.number, ...visibleTo(input.viewer) },
    include: { reporter: true, assignee: true, group: true },
  })
  // A customer learns nothing about tickets that are not theirs, not even that they exist.
  if (!ticket) throw domainError(input.viewer && !isStaff(input.viewer) ? 'ticket.not_visible' : 'ticket.not_found', { number: input.number })
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
  /** Only the tickets this viewer may see (a customer: what they reported). */
  viewer?: Viewer
  limit?: number
}

export async function listOpenRepairs(db: Tx, input: ListOpenInput): Promise<(Ticket & { assignee: Member | null })[]> {
  return db.ticket.findMany({
    where: {
      tenantId: input.tenantId,
      status: input.status ?? { in: ['open', 'assigned', 'on_site'] },
      ...(input.assigneeId ? { assigneeId: input.assigneeId } : {}),
      ...visibleTo(input.viewer),
    },
    include: { assignee: true },
    orderBy: { number: 'asc' },
    take: input.limit ?? 100,
  })
}
