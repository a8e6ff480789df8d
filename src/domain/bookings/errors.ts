import { BadInput, Conflict, Forbidden, NotFound, type AppError } from '../../errors.ts'
import type { BookingStatus } from '../../generated/prisma/client.ts'

/**
 * Booking error codes; the chat layer turns each into a polite sentence (locales.ts) filled with
 * `params`. The kind decides the HTTP status when an admin route raises one.
 */
const kinds = {
  'booking.not_found': NotFound,
  'booking.resource_unknown': NotFound,
  'booking.resource_required': BadInput,
  'booking.time_required': BadInput,
  'booking.in_past': BadInput,
  'booking.outside_hours': BadInput,
  'booking.off_step': BadInput,
  'booking.too_soon': BadInput,
  'booking.too_far': BadInput,
  'booking.reason_required': BadInput,
  'booking.deposit_required': BadInput,
  'booking.locked': Forbidden,
  'booking.not_allowed': Forbidden,
  'booking.wrong_status': Conflict,
  'booking.no_prep_for_role': Forbidden,
  'waitlist.not_found': NotFound,
} as const

export type BookingErrorCode = keyof typeof kinds
export type BookingErrorParams = Record<string, string | number>

export type BookingError = AppError & { code: BookingErrorCode; params: BookingErrorParams }

export function bookingError(code: BookingErrorCode, params: BookingErrorParams = {}): BookingError {
  return Object.assign(new kinds[code](code), { code, params })
}

export function isBookingError(error: unknown): error is BookingError {
  const code = (error as { code?: unknown } | null)?.code
  return error instanceof Error && typeof code === 'string' && code in kinds
}

/** A booking the action does not apply to in its state: 预约#12 已取消，不能确认。 */
export function wrongStatus(number: number, status: BookingStatus, action: string): BookingError {
  return bookingError('booking.wrong_status', { number, status, action })
}

/** What holds a refused range. */
export interface SlotHolder {
  number: number
  status: BookingStatus
  startsAt: Date
  endsAt: Date
}

/**
 * The database refused the range: every lane of the resource is held for part of it. Carries
 * what holds it so the reply can say so and offer the nearest free ranges and the waitlist.
 */
export class SlotTaken extends Conflict {
  readonly code = 'booking.slot_taken'
  constructor(
    readonly resourceId: string,
    readonly startsAt: Date,
    readonly endsAt: Date,
    readonly holders: SlotHolder[],
  ) {
    super('booking.slot_taken')
  }
}
