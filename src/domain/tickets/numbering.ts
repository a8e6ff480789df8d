import { domainError } from '../errors.ts'
import type { Tx } from './types.ts'

/**
 * Hands out the tenant's next short number (#1001, #1002…) with the database function
 * next_ticket_number, one UPDATE, so two concurrent requests never get the same number; a
 * rolled-back transaction gives its number back. The row lock it takes holds to commit, so what a
 * transaction does after it is ordered per tenant too. A new repair takes its number with the same
 * function inside store_new_repair (store-repair.ts), in the round trip that stores it.
 */
export async function allocateTicketNumber(tx: Tx, tenantId: string): Promise<number> {
  const [{ number }] = await tx.$queryRaw<{ number: number | null }[]>`SELECT next_ticket_number(${tenantId}) AS number`
  if (number === null) throw domainError('tenant.not_found')
  return number
}
