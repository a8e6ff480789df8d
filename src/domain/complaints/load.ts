import type { Department, Member, Ticket } from '../../generated/prisma/client.ts'
import { domainError } from '../errors.ts'
import type { Tx } from '../tickets/types.ts'

export type ComplaintRow = Ticket & { department: Department | null; reporter: Member | null }

/** Locks the tenant's complaint by number for the rest of the transaction (see lockRepair). */
export async function lockComplaint(tx: Tx, tenantId: string, number: number): Promise<ComplaintRow> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT "id" FROM "Ticket" WHERE "tenantId" = ${tenantId} AND "number" = ${number} AND "kind" = 'complaint' FOR UPDATE`
  if (rows.length === 0) throw domainError('complaint.not_found', { number })
  return tx.ticket.findUniqueOrThrow({ where: { id: rows[0].id }, include: { department: true, reporter: true } })
}
