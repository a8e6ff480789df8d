import type { ChatGroup, Department, FollowUp, Member, Ticket, TicketEvent, TicketStatus } from '../../generated/prisma/client.ts'
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

export async function listOpenRepairs(db: Tx, input: ListOpenInput): Promise<(Ticket & { assignee: Member | null; department: Department | null })[]> {
  return db.ticket.findMany({
    where: {
      tenantId: input.tenantId,
      status: input.status ?? { in: ['open', 'assigned', 'on_site'] },
      ...(input.assigneeId ? { assigneeId: input.assigneeId } : {}),
      ...visibleTo(input.viewer),
    },
    // A routed complaint is held by its department, not a member.
    include: { assignee: true, department: true },
    orderBy: { number: 'asc' },
    take: input.limit ?? 100,
  })
}

/** Statuses in which a ticket's clocks still run (the ones that can be overdue). */
export const unfinishedStatuses: TicketStatus[] = ['open', 'assigned', 'on_site']

export interface TicketFilter {
  tenantId: string
  kind?: Ticket['kind']
  status?: TicketStatus
  priority?: Ticket['priority']
  /** Only unfinished tickets past their on-site or resolution deadline at `now`. */
  overdueAt?: Date
  assigneeId?: string
  departmentId?: string
  /** Unit as typed by the reporter, matched from its start (3-2 finds 3-2-501). */
  unit?: string
  /** Created within [createdFrom, createdUntil). */
  createdFrom?: Date
  createdUntil?: Date
  /** Free text: a unit, a phone number (or its last digits) or words of the description. */
  search?: string
  viewer?: Viewer
}

/** The one definition of "overdue" the lists and the workspace share. */
export function overdueWhere(now: Date) {
  return {
    status: { in: unfinishedStatuses },
    pausedAt: null,
    OR: [{ respondBy: { lt: now }, arrivedAt: null }, { resolveBy: { lt: now } }],
  }
}

function ticketWhere(filter: TicketFilter) {
  const search = filter.search?.trim()
  const and: object[] = []
  if (filter.overdueAt) and.push(overdueWhere(filter.overdueAt))
  if (search) {
    and.push({
      OR: [
        { unit: { startsWith: search, mode: 'insensitive' as const } },
        { contactPhone: { contains: search } },
        { description: { contains: search, mode: 'insensitive' as const } },
        // A ticket number (#1023); a phone number's digits would overflow the integer column.
        ...(/^#?\d{1,9}$/.test(search) ? [{ number: Number(search.replace('#', '')) }] : []),
      ],
    })
  }
  return {
    tenantId: filter.tenantId,
    ...(filter.kind ? { kind: filter.kind } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.priority ? { priority: filter.priority } : {}),
    ...(filter.assigneeId ? { assigneeId: filter.assigneeId } : {}),
    ...(filter.departmentId ? { departmentId: filter.departmentId } : {}),
    ...(filter.unit ? { unit: { startsWith: filter.unit, mode: 'insensitive' as const } } : {}),
    ...(filter.createdFrom || filter.createdUntil ? { createdAt: { ...(filter.createdFrom ? { gte: filter.createdFrom } : {}), ...(filter.createdUntil ? { lt: filter.createdUntil } : {}) } } : {}),
    ...visibleTo(filter.viewer),
    ...(and.length ? { AND: and } : {}),
  }
}

export type ListedTicket = Ticket & { assignee: Member | null; department: { id: string; name: string } | null }

/** Tickets of every kind and status matching the filter, newest first, one page at a time. */
export async function listTickets(db: Tx, filter: TicketFilter, page: { skip?: number; take?: number } = {}): Promise<{ rows: ListedTicket[]; total: number }> {
  const where = ticketWhere(filter)
  const [rows, total] = await Promise.all([
    db.ticket.findMany({
      where,
      include: { assignee: true, department: { select: { id: true, name: true } } },
      orderBy: [{ createdAt: 'desc' }, { number: 'desc' }],
      skip: page.skip ?? 0,
      take: page.take ?? 50,
    }),
    db.ticket.count({ where }),
  ])
  return { rows, total }
}
