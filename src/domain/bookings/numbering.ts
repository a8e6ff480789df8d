import { bookingError } from './errors.ts'
import type { Tx } from './types.ts'

/**
 * The tenant's next booking number (预约#1, #2…), apart from ticket numbers. The UPDATE also locks
 * the tenant row until commit, which serialises the tenant's booking writes.
 */
export async function allocateBookingNumber(tx: Tx, tenantId: string): Promise<number> {
  const rows = await tx.$queryRaw<{ lastBookingNumber: number }[]>`
    UPDATE "Tenant" SET "lastBookingNumber" = "lastBookingNumber" + 1 WHERE "id" = ${tenantId} RETURNING "lastBookingNumber"`
  if (!rows.length) throw bookingError('booking.not_found', { number: 0 })
  return rows[0].lastBookingNumber
}

export async function allocateWaitlistNumber(tx: Tx, tenantId: string): Promise<number> {
  const rows = await tx.$queryRaw<{ lastWaitlistNumber: number }[]>`
    UPDATE "Tenant" SET "lastWaitlistNumber" = "lastWaitlistNumber" + 1 WHERE "id" = ${tenantId} RETURNING "lastWaitlistNumber"`
  if (!rows.length) throw bookingError('waitlist.not_found', { number: 0 })
  return rows[0].lastWaitlistNumber
}
