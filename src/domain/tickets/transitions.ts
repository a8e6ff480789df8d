import type { Ticket, TicketStatus } from '../../generated/prisma/client.ts'
import { domainError, type TicketAction } from '../errors.ts'

/** The repair lifecycle: which statuses each action may start from, and where it leads. */
const transitions: Record<TicketAction, { from: TicketStatus[]; to: TicketStatus }> = {
  assign: { from: ['open', 'assigned'], to: 'assigned' },
  claim: { from: ['open'], to: 'assigned' },
  arrive: { from: ['assigned'], to: 'on_site' },
  complete: { from: ['assigned', 'on_site'], to: 'done' },
  cancel: { from: ['open', 'assigned', 'on_site'], to: 'cancelled' },
  reopen: { from: ['done', 'cancelled', 'closed'], to: 'open' },
}

export function canTransition(action: TicketAction, status: TicketStatus): boolean {
  return transitions[action].from.includes(status)
}

/** The status after `action`, or Conflict `ticket.cannot_<action>_<status>`. */
export function transition(action: TicketAction, ticket: Pick<Ticket, 'status' | 'number'>): TicketStatus {
  if (!canTransition(action, ticket.status)) {
    throw domainError(`ticket.cannot_${action}_${ticket.status}`, { number: ticket.number, action, status: ticket.status })
  }
  return transitions[action].to
}
