import { loadCatalog, type Catalog } from './commands/catalog.ts'
import { createChatHandler } from './commands/run/dispatch.ts'
import type { AppContext } from './context.ts'
import { createReminderService } from './domain/reminders/service.ts'
import { createBookingService, type BookingService } from './domain/bookings/index.ts'
import { createRepairService, type RepairService } from './domain/tickets.ts'
import type { ChatHandler } from './inbox/handler.ts'
import type { FireReminder, FireReminders } from './jobs/reminders.ts'

/** The product's services, built once per process on top of the shared context. */
export interface Services {
  catalog: Catalog
  repairs: RepairService
  bookings: BookingService
  handleChat: ChatHandler
  fireReminder: FireReminder
  fireReminders: FireReminders
}

/** Throws CatalogError (listing every problem) when bot-commands/ is invalid, so start-up stops. */
export function createServices(ctx: AppContext, catalog: Catalog = loadCatalog()): Services {
  const repairs = createRepairService({ prisma: ctx.prisma, clock: ctx.clock })
  const bookings = createBookingService({ prisma: ctx.prisma, clock: ctx.clock })
  const reminders = createReminderService({ prisma: ctx.prisma, clock: ctx.clock })
  return {
    catalog,
    repairs,
    bookings,
    handleChat: createChatHandler({ catalog, repairs, bookings }),
    // Every kind of reminder (repair, complaint, follow-up) fires through the same exactly-once path.
    fireReminder: reminders.fire,
    fireReminders: reminders.fireMany,
  }
}
