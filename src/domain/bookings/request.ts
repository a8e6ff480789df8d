import type { Resource, Tenant } from '../../generated/prisma/client.ts'
import { bookingError } from './errors.ts'
import { checkBookable } from './rules.ts'
import type { Tx } from './types.ts'

/** What a booking and a place on the waiting list both ask for: a range of a resource, for a customer. */
export interface BookingRequest {
  tenantId: string
  createdById: string
  /** The group the request was made in: its reminders and offers go there. */
  groupId?: string | null
  resourceId: string
  startsAt: Date
  endsAt: Date
  customerName: string
  customerPhone?: string | null
}

/**
 * The tenant's active resource the request names and the tenant itself, once the range passes the
 * resource's own rules (hours, step, notice); an unknown resource or a range it refuses throws.
 */
export async function bookableResource(tx: Tx, now: Date, request: BookingRequest): Promise<{ resource: Resource; tenant: Tenant }> {
  const resource = await tx.resource.findFirst({ where: { id: request.resourceId, tenantId: request.tenantId, active: true } })
  if (!resource) throw bookingError('booking.resource_unknown', { name: request.resourceId })
  const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: request.tenantId } })
  checkBookable(resource, request.startsAt, request.endsAt, now, tenant.timeZone)
  return { resource, tenant }
}
