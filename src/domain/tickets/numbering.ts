import { domainError } from '../errors.ts'
import type { Tx } from './types.ts'

/**
 * Hands out the tenant's next short number (#1001, #1002…). The increment is one UPDATE, so two
 * concurrent requests never get the same number; a rolled-back transaction gives its number back.
 * The row lock it takes holds to commit, so what a transaction does after it is ordered per tenant
 * too. A new repair takes its number with the same UPDATE inside store_new_repair (store-repair.ts),
 * in the round trip that stores it.
 */
export async function allocateTicketNumber(tx: Tx, tenantId: string): Promise<number> {
  const rows = await tx.$queryRaw<{ lastTicketNumber: number }[]>`
    UPDATE "Tenant" SET "lastTicketNumber" = "lastTicketNumber" + 1, "updatedAt" = now()
    WHERE "id" = ${tenantId}
    RETURNING "lastTicketNumber"`
  if (rows.length === 0) throw domainError('tenant.not_found')
  return rows[0].lastTicketNumber
}
