import type { Clock } from '../../clock.ts'
import { commandWriter, runAfterWrite } from '../../db/command-scope.ts'
import type { PrismaClient, Resource } from '../../generated/prisma/client.ts'
import { auditIsDue, runBookingAudit, type AuditResult } from './audit.ts'
import { freeRangesOn, nearestFree } from './availability.ts'
import { createBooking } from './create.ts'
import { fireBookingReminder } from './fire-reminder.ts'
import { cancel, checkIn, complete, confirm, prepared, remove, reschedule } from './lifecycle.ts'
import { listBookings, listResources, showBooking, staffBookingCounts } from './queries.ts'
import { joinWaitlist } from './waitlist.ts'

export { isBookingError, SlotTaken, type BookingError } from './errors.ts'
export { isBookingReminderKind } from './clocks.ts'
export { isBookingReminder } from './fire-reminder.ts'
export type { BookingWithResource, FreeRange } from './types.ts'

export interface BookingServiceDeps {
  prisma: PrismaClient
  clock: Clock
}

/**
 * Bookings (预约/预订) of a tenant's resources. Every write is one transaction that runs the chat
 * command's hooks (its message claimed, its notifications stored) and returns the reminder rows
 * to queue or drop and the notifications to send once it commits.
 */
export function createBookingService({ prisma, clock }: BookingServiceDeps) {
  const write = commandWriter(prisma, clock)

  return {
    create: write(createBooking),
    confirm: write(confirm),
    checkIn: write(checkIn),
    complete: write(complete),
    prepared: write(prepared),
    cancel: write(cancel),
    remove: write(remove),
    reschedule: write(reschedule),
    joinWaitlist: write(joinWaitlist),
    /** Called by the reminders worker for reminder kinds starting with "booking.". */
    fireReminder: (reminderId: string) =>
      prisma.$transaction(async (tx) => {
        const result = await fireBookingReminder(tx, clock.now(), reminderId)
        await runAfterWrite(tx, result)
        return result
      }),
    /** Runs the daily audit of every tenant whose audit time has come today (once per tenant and day). */
    async sweepAudits(now: Date = clock.now()): Promise<AuditResult[]> {
      const tenants = await prisma.tenant.findMany({ select: { id: true, timeZone: true, bookingAuditTime: true } })
      const results: AuditResult[] = []
      for (const tenant of tenants.filter((t) => auditIsDue(t, now))) {
        const result = await prisma.$transaction((tx) => runBookingAudit(tx, now, tenant.id))
        if (result.runId) results.push(result)
      }
      return results
    },
    list: (input: Parameters<typeof listBookings>[1]) => listBookings(prisma, input),
    show: (input: Parameters<typeof showBooking>[1]) => showBooking(prisma, input),
    resources: (tenantId: string) => listResources(prisma, tenantId),
    staffCounts: (input: Parameters<typeof staffBookingCounts>[1]) => staffBookingCounts(prisma, input),
    freeRanges: (resource: Resource, day: Date, timeZone: string) => freeRangesOn(prisma, resource, day, timeZone, clock.now()),
    nearestFree: (resource: Resource, startsAt: Date, endsAt: Date, timeZone: string) => nearestFree(prisma, resource, startsAt, endsAt, timeZone, clock.now()),
  }
}

export type BookingService = ReturnType<typeof createBookingService>
