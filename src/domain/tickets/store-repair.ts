import type { Reminder, Role, Ticket, TicketEvent } from '../../generated/prisma/client.ts'
import type { Mention } from '../../messages/reply.ts'
import { domainError } from '../errors.ts'
import type { RepairPolicy } from '../policy.ts'
import type { Tx } from './types.ts'

/** A new repair as it is to be stored: every column of its rows, built by the caller. */
export interface NewRepair {
  /** The ticket; its number and repeatFlag are decided here. */
  ticket: Ticket
  /** Its 'created' event; here its data gains the repeat count. */
  event: TicketEvent
  reminders: Reminder[]
  /** Whom the announcement @-mentions (active members with this role), if anyone. */
  mention: Role | null
}

export interface StoredRepair {
  ticket: Ticket
  /** Repairs of this unit and category within the repeat window, this one included. */
  repeatCount: number
  mentioned: Mention[]
  /** The supervisors to tell of a repeat repair (none unless the ticket is flagged). */
  supervisors: Mention[]
}

type Outcome =
  | { tenantFound: false }
  | { tenantFound: true; reporterFound: false; groupFound: boolean }
  | { tenantFound: true; reporterFound: true; groupFound: false }
  | { tenantFound: true; reporterFound: true; groupFound: true; number: number; repeatCount: number; flagged: boolean; mentioned: Mention[]; supervisors: Mention[] }

/**
 * Numbers and stores a new repair in one round trip, with the database function store_new_repair
 * (its migration says why it is one): it checks that the reporter and group are the tenant's,
 * takes the tenant's next number, counts the earlier repairs of the unit and category (repeat
 * detection), inserts the ticket, its 'created' event and its reminders, and reads whom to
 * @-mention. The number's row lock holds to commit, so concurrent reports of one tenant store one
 * after the other and each count sees the repairs numbered before it; the lock is taken as late
 * as it can be, since the tenant's next report waits for it.
 */
export async function storeNewRepair(tx: Tx, repair: NewRepair, policy: RepairPolicy): Promise<StoredRepair> {
  const { ticket, event } = repair
  const since = new Date(ticket.createdAt.getTime() - policy.repeatWindowDays * 24 * 3600_000)
  const [{ outcome }] = await tx.$queryRaw<{ outcome: Outcome }[]>`
    SELECT store_new_repair(${JSON.stringify(ticket)}::jsonb, ${JSON.stringify(event)}::jsonb, ${JSON.stringify(repair.reminders)}::jsonb,
      ${since}::timestamptz, ${policy.repeatThreshold}::int, ${repair.mention}::"Role") AS outcome`
  if (!outcome.tenantFound) throw domainError('tenant.not_found')
  if (!outcome.reporterFound) throw domainError('member.not_found', { memberId: ticket.reporterId ?? '' })
  if (!outcome.groupFound) throw domainError('group.not_found')
  const stored = { ...ticket, number: outcome.number, repeatFlag: outcome.flagged }
  return { ticket: stored, repeatCount: outcome.repeatCount, mentioned: outcome.mentioned, supervisors: outcome.supervisors }
}
