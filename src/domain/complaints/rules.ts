import { domainError } from '../errors.ts'
import { calendarFor, type BusinessCalendar } from '../calendar/index.ts'
import type { Tx } from '../tickets/types.ts'
import { complaintMessages, type ComplaintFacts, type ComplaintMessages } from './messages.ts'
import { resolveComplaintPolicy, type ComplaintPolicy } from './policy.ts'
import type { ComplaintRow } from './load.ts'

export interface ComplaintRules {
  tenantId: string
  policy: ComplaintPolicy
  calendar: BusinessCalendar
  messages: ComplaintMessages
}

export async function loadComplaintRules(tx: Tx, tenantId: string): Promise<ComplaintRules> {
  const tenant = await tx.tenant.findUnique({ where: { id: tenantId } })
  if (!tenant) throw domainError('tenant.not_found')
  const calendar = calendarFor(tenant)
  return { tenantId, policy: resolveComplaintPolicy(tenant.policy), calendar, messages: complaintMessages(tenant.locale, calendar.timeZone) }
}

export function complaintFacts(ticket: Pick<ComplaintRow, 'number' | 'unit' | 'category' | 'description' | 'complaintType' | 'major' | 'department' | 'contactName' | 'contactPhone' | 'resolveBy'>): ComplaintFacts {
  return {
    number: ticket.number,
    unit: ticket.unit,
    topic: ticket.category,
    content: ticket.description,
    type: ticket.complaintType ?? 'effective',
    major: ticket.major,
    department: ticket.department?.name ?? null,
    contactName: ticket.contactName,
    contactPhone: ticket.contactPhone,
    resolveBy: ticket.resolveBy,
  }
}
