import { randomUUID } from 'node:crypto'
import type { Booking, BookingStatus, Resource } from '../../generated/prisma/client.ts'
import { SlotTaken, type SlotHolder } from './errors.ts'
import { holdingStatuses, type Tx } from './types.ts'

export interface NewBookingRow {
  tenantId: string
  number: number
  resource: Resource
  status: BookingStatus
  customerName: string
  customerPhone: string | null
  startsAt: Date
  endsAt: Date
  holdFrom: Date
  holdUntil: Date
  depositCents: number | null
  note: string | null
  createdById: string | null
  groupId: string | null
  confirmedAt: Date | null
  confirmedById: string | null
  depositAt: Date | null
  now: Date
}

/**
 * Takes the first lane (0..capacity-1) whose hold does not overlap. Each try is one INSERT … ON
 * CONFLICT DO NOTHING, so the exclusion constraint Booking_no_overlap decides, not a read before
 * the write: of any number of racing requests, at most capacity-many get in, and a refused try
 * leaves the transaction usable for the next lane.
 */
export async function insertIntoFreeLane(tx: Tx, row: NewBookingRow): Promise<Booking | null> {
  for (let lane = 0; lane < row.resource.capacity; lane++) {
    const id = randomUUID()
    const inserted = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO "Booking" ("id", "tenantId", "number", "resourceId", "status", "customerName", "customerPhone", "startsAt", "endsAt",
        "holdFrom", "holdUntil", "lane", "depositCents", "note", "createdById", "groupId", "confirmedAt", "confirmedById", "depositAt", "createdAt", "updatedAt")
      VALUES (${id}, ${row.tenantId}, ${row.number}, ${row.resource.id}, ${row.status}::"BookingStatus", ${row.customerName}, ${row.customerPhone},
        ${row.startsAt}, ${row.endsAt}, ${row.holdFrom}, ${row.holdUntil}, ${lane}, ${row.depositCents}, ${row.note}, ${row.createdById},
        ${row.groupId}, ${row.confirmedAt}, ${row.confirmedById}, ${row.depositAt}, ${row.now}, ${row.now})
      ON CONFLICT DO NOTHING
      RETURNING "id"`
    if (inserted.length) return tx.booking.findUniqueOrThrow({ where: { id } })
  }
  return null
}

/**
 * Moves an existing booking's hold (a reschedule, or a late check-in from the no-show list) into
 * a free lane. The caller holds the tenant's booking lock, so the lane it reads as free stays
 * free until commit; the constraint would refuse the UPDATE otherwise.
 */
export async function freeLaneFor(tx: Tx, resource: Resource, holdFrom: Date, holdUntil: Date, exceptId: string): Promise<number | null> {
  const busy = await tx.booking.findMany({
    where: { resourceId: resource.id, id: { not: exceptId }, status: { in: [...holdingStatuses] }, holdFrom: { lt: holdUntil }, holdUntil: { gt: holdFrom } },
    select: { lane: true },
  })
  const taken = new Set(busy.map((b) => b.lane))
  for (let lane = 0; lane < resource.capacity; lane++) if (!taken.has(lane)) return lane
  return null
}

/** Serialises changes to a tenant's holds and numbers (the row lock is held until commit). */
export async function lockTenantBookings(tx: Tx, tenantId: string): Promise<void> {
  await tx.$queryRaw`SELECT "id" FROM "Tenant" WHERE "id" = ${tenantId} FOR UPDATE`
}

/** The bookings holding any part of a range: what a refusal names. */
export async function holdersOf(tx: Tx, resourceId: string, holdFrom: Date, holdUntil: Date, exceptId?: string): Promise<SlotHolder[]> {
  const rows = await tx.booking.findMany({
    where: { resourceId, status: { in: [...holdingStatuses] }, holdFrom: { lt: holdUntil }, holdUntil: { gt: holdFrom }, ...(exceptId ? { id: { not: exceptId } } : {}) },
    orderBy: { startsAt: 'asc' },
    select: { number: true, status: true, startsAt: true, endsAt: true },
  })
  return rows
}

export async function slotTaken(tx: Tx, resource: Resource, startsAt: Date, endsAt: Date, holdFrom: Date, holdUntil: Date, exceptId?: string): Promise<SlotTaken> {
  return new SlotTaken(resource.id, startsAt, endsAt, await holdersOf(tx, resource.id, holdFrom, holdUntil, exceptId))
}
