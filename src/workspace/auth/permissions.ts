import type { Role } from '../../generated/prisma/client.ts'

/**
 * What each workspace section needs, taken from the chat catalog's roles for the same work
 * (待办/查 for tickets, 待回访 for follow-ups, 预约列表 for bookings, 回访率 for reports). Exports
 * carry many customers' phone numbers at once, so they are for supervisors and admins only.
 */
export const sectionRoles = {
  tickets: ['agent', 'technician', 'supervisor', 'admin'],
  followUps: ['agent', 'supervisor', 'admin'],
  bookings: ['agent', 'supervisor', 'admin'],
  reports: ['agent', 'supervisor', 'admin'],
  export: ['supervisor', 'admin'],
} as const satisfies Record<string, readonly Role[]>

export type Section = keyof typeof sectionRoles

/** Customers never get a workspace sign-in. */
export const staffRoles: readonly Role[] = sectionRoles.tickets

export function mayOpen(roles: readonly Role[], section: Section): boolean {
  return roles.some((role) => (sectionRoles[section] as readonly Role[]).includes(role))
}
