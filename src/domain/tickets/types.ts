import type { Member, Prisma, Reminder, Ticket } from '../../generated/prisma/client.ts'
import type { RepairMessages } from '../messages.ts'
import type { Notification } from '../notifications.ts'
import type { RepairPolicy } from '../policy.ts'
import type { BusinessCalendar } from '../calendar/index.ts'

/** The client inside an interactive transaction. */
export type Tx = Prisma.TransactionClient

/** A tenant's rules, read once per operation inside its transaction. */
export interface TenantRules {
  tenantId: string
  policy: RepairPolicy
  calendar: BusinessCalendar
  messages: RepairMessages
}

/** Reminder rows the caller must enqueue (job id = row id) or remove after commit. */
export interface ReminderChanges {
  scheduled: Reminder[]
  cancelled: string[]
}

/** What every mutating operation hands back besides its own result. */
export interface Effects {
  reminders: ReminderChanges
  notifications: Notification[]
}

export type TicketWithAssignee = Ticket & { assignee: Member | null }

/** Who acts: a member of the tenant, by id. */
export interface ActorRef {
  tenantId: string
  actorId: string
}

export interface TicketRef extends ActorRef {
  number: number
}
