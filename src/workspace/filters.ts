import { z } from 'zod'
import type { TicketFilter } from '../domain/tickets/queries.ts'
import { addDays, parseIsoDate, startOfDay } from './format.ts'

const blankToUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value)
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional())
const isoDay = z.string().refine((text) => parseIsoDate(text) !== undefined, 'yyyy-mm-dd')

/** The ticket list's query string; the same one drives the CSV export, so both show the same rows. */
export const ticketQuery = z.object({
  kind: optional(z.enum(['repair', 'complaint'])),
  status: optional(z.enum(['open', 'assigned', 'on_site', 'done', 'closed', 'cancelled'])),
  priority: optional(z.enum(['low', 'normal', 'high', 'urgent'])),
  overdue: optional(z.literal('1')),
  assignee: optional(z.uuid()),
  department: optional(z.uuid()),
  unit: optional(z.string().trim().max(40)),
  from: optional(isoDay),
  to: optional(isoDay),
  q: optional(z.string().trim().max(100)),
  page: optional(z.coerce.number().int().min(1).max(10_000)),
})
export type TicketQuery = z.infer<typeof ticketQuery>

/** Dates are whole days in the tenant's zone; "to" includes its day. */
export function ticketFilterOf(query: TicketQuery, tenantId: string, timeZone: string, now: Date): TicketFilter {
  const from = parseIsoDate(query.from)
  const to = parseIsoDate(query.to)
  return {
    tenantId,
    kind: query.kind,
    status: query.status,
    priority: query.priority,
    overdueAt: query.overdue ? now : undefined,
    assigneeId: query.assignee,
    departmentId: query.department,
    unit: query.unit,
    createdFrom: from ? startOfDay(from, timeZone) : undefined,
    createdUntil: to ? startOfDay(addDays(to, 1), timeZone) : undefined,
    search: query.q,
  }
}

export const followUpQuery = z.object({
  status: optional(z.enum(['pending', 'done', 'overdue', 'cancelled'])),
  from: optional(isoDay),
  to: optional(isoDay),
})
export type FollowUpQuery = z.infer<typeof followUpQuery>

export const bookingQuery = z.object({
  resource: optional(z.uuid()),
  date: optional(isoDay),
  view: optional(z.enum(['day', 'week'])),
})
export type BookingQuery = z.infer<typeof bookingQuery>

export const reportQuery = z.object({ from: optional(isoDay), to: optional(isoDay) })
export type ReportQuery = z.infer<typeof reportQuery>

/** Names of the fields a query got wrong, for the polite 400 page. */
export function badFields(error: z.ZodError): string {
  return [...new Set(error.issues.map((issue) => String(issue.path[0] ?? '')))].join(', ')
}
