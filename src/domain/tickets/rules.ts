import { domainError } from '../errors.ts'
import { repairMessages } from '../messages.ts'
import { resolveCalendar, resolveRepairPolicy } from '../policy.ts'
import type { TenantRules, Tx } from './types.ts'

export async function loadRules(tx: Tx, tenantId: string): Promise<TenantRules> {
  const tenant = await tx.tenant.findUnique({ where: { id: tenantId } })
  if (!tenant) throw domainError('tenant.not_found')
  const calendar = resolveCalendar(tenant)
  return {
    tenantId,
    policy: resolveRepairPolicy(tenant.policy),
    calendar,
    messages: repairMessages(tenant.locale, calendar.timeZone),
  }
}
