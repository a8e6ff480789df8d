import { domainError } from '../errors.ts'
import type { TicketWithAssignee, Tx } from './types.ts'

/**
 * Locks the tenant's repair ticket by number for the rest of the transaction, so two commands on
 * the same ticket run one after the other. Another tenant's number is NotFound.
 */
export async function lockRepair(tx: Tx, tenantId: string, number: number): Promise<TicketWithAssignee> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Ticket"
    WHERE "tenantId" = ${tenantId} AND "number" = ${number} AND "kind" = 'repair'
    FOR UPDATE`
  if (rows.length === 0) throw domainError('ticket.not_found', { number })
  return tx.ticket.findUniqueOrThrow({ where: { id: rows[0].id }, include: { assignee: true } })
}

/** Like lockRepair, for a ticket of any kind (follow-ups are recorded against both). */
export async function lockTicket(tx: Tx, tenantId: string, number: number): Promise<TicketWithAssignee> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Ticket" WHERE "tenantId" = ${tenantId} AND "number" = ${number} FOR UPDATE`
  if (rows.length === 0) throw domainError('ticket.not_found', { number })
  return tx.ticket.findUniqueOrThrow({ where: { id: rows[0].id }, include: { assignee: true } })
}
