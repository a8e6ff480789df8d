import type { Booking, Prisma, Resource } from '../../generated/prisma/client.ts'
import type { Effects } from '../tickets/types.ts'

/** The client inside an interactive transaction. */
export type Tx = Prisma.TransactionClient

export type { Effects, ReminderChanges } from '../tickets/types.ts'

export type BookingWithResource = Booking & { resource: Resource }

/** Statuses that hold the resource; the exclusion constraint Booking_no_overlap covers exactly these. */
export const holdingStatuses = ['unconfirmed', 'confirmed', 'checked_in'] as const

/** Who acts, with the roles that decide what they may do. */
export interface BookingActor {
  tenantId: string
  actorId: string
}

export interface BookingRef extends BookingActor {
  number: number
}

/** A range a booking could take: what people are offered when theirs is taken. */
export interface FreeRange {
  startsAt: Date
  endsAt: Date
}

export interface BookingResult extends Effects {
  booking: BookingWithResource
}
