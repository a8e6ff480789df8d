import type { Prisma, Ticket, TicketEvent } from '../../generated/prisma/client.ts'
import type { Tx } from './types.ts'

/** Timeline event types, in the order a repair usually goes through them. */
export type TicketEventType =
  | 'created'
  | 'repeat_flagged'
  | 'assigned'
  | 'reassigned'
  | 'claimed'
  | 'arrived'
  | 'completed'
  | 'cancelled'
  | 'reopened'
  | 'note'
  | 'category_changed'
  | 'reminder_sent'
  | 'followup_recorded'
  | 'followup_overdue'
  | 'followup_corrected'
  // complaints
  | 'type_changed'
  | 'routed'
  | 'handled'
  | 'answered'
  | 'paused'
  | 'resumed'

export async function recordEvent(
  tx: Tx,
  ticket: Pick<Ticket, 'id' | 'tenantId'>,
  type: TicketEventType,
  actorId: string | null,
  at: Date,
  data: Prisma.InputJsonObject = {},
): Promise<TicketEvent> {
  return tx.ticketEvent.create({ data: { tenantId: ticket.tenantId, ticketId: ticket.id, type, actorId, data, at } })
}

/** When the current round of work began: creation, or the latest reopening. */
export async function openedAt(tx: Tx, ticket: Pick<Ticket, 'id' | 'createdAt'>): Promise<Date> {
  const event = await tx.ticketEvent.findFirst({
    where: { ticketId: ticket.id, type: { in: ['created', 'reopened'] } },
    orderBy: { at: 'desc' },
  })
  return event?.at ?? ticket.createdAt
}
