import type { Resource } from '../../generated/prisma/client.ts'
import { localParts, zonedTime } from '../time.ts'
import { minutesOfDay } from '../calendar/index.ts'
import { bookingError } from './errors.ts'

const MINUTE = 60_000


/** The range a booking keeps its lane for: its own, widened by the resource's buffers. */
export function holdOf(resource: Pick<Resource, 'bufferBeforeMinutes' | 'bufferAfterMinutes'>, startsAt: Date, endsAt: Date) {
  return {
    holdFrom: new Date(startsAt.getTime() - resource.bufferBeforeMinutes * MINUTE),
    holdUntil: new Date(endsAt.getTime() + resource.bufferAfterMinutes * MINUTE),
  }
}

/** Opening and closing instants of the resource on the local day of `at`. */
export function openingOn(resource: Pick<Resource, 'opensAt' | 'closesAt'>, at: Date, timeZone: string): { opens: Date; closes: Date } {
  const day = localParts(at, timeZone)
  const at_ = (minutes: number) => zonedTime({ year: day.year, month: day.month, day: day.day, hour: Math.floor(minutes / 60), minute: minutes % 60 }, timeZone)
  return { opens: at_(minutesOfDay(resource.opensAt)), closes: at_(minutesOfDay(resource.closesAt)) }
}

/**
 * The resource's own rules for a requested range: within opening hours on one day, on the slot
 * step, with the minimum notice and no further ahead than allowed. Throws a BadInput that names
 * the limit, so the person can pick another time.
 */
export function checkBookable(resource: Resource, startsAt: Date, endsAt: Date, now: Date, timeZone: string): void {
  if (!(endsAt > startsAt)) throw bookingError('booking.time_required')
  if (startsAt < now) throw bookingError('booking.in_past')
  const { opens, closes } = openingOn(resource, startsAt, timeZone)
  if (startsAt < opens || endsAt > closes) throw bookingError('booking.outside_hours', { resource: resource.name, opensAt: resource.opensAt, closesAt: resource.closesAt })
  const offset = (startsAt.getTime() - opens.getTime()) / MINUTE
  if (resource.slotMinutes > 0 && offset % resource.slotMinutes !== 0) throw bookingError('booking.off_step', { resource: resource.name, step: resource.slotMinutes, opensAt: resource.opensAt })
  if (startsAt.getTime() - now.getTime() < resource.minNoticeMinutes * MINUTE) throw bookingError('booking.too_soon', { resource: resource.name, hours: Math.round((resource.minNoticeMinutes / 60) * 10) / 10 })
  if (startsAt.getTime() - now.getTime() > resource.maxAdvanceDays * 24 * 60 * MINUTE) throw bookingError('booking.too_far', { resource: resource.name, days: resource.maxAdvanceDays })
}

/** A time without an end (订 … 周六上午10点) runs for the resource's default length. */
export function rangeOf(resource: Pick<Resource, 'defaultMinutes'>, startsAt: Date, endsAt?: Date | null): { startsAt: Date; endsAt: Date } {
  return { startsAt, endsAt: endsAt ?? new Date(startsAt.getTime() + resource.defaultMinutes * MINUTE) }
}
