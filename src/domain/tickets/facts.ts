import type { TicketFacts } from '../messages.ts'
import type { TicketWithAssignee } from './types.ts'

export function factsOf(ticket: TicketWithAssignee): TicketFacts {
  return {
    number: ticket.number,
    unit: ticket.unit,
    category: ticket.category,
    description: ticket.description,
    priority: ticket.priority,
    contactName: ticket.contactName,
    contactPhone: ticket.contactPhone,
    appointmentAt: ticket.appointmentAt,
    resolveBy: ticket.resolveBy,
    assigneeName: ticket.assignee?.name ?? null,
  }
}
