import { AsyncLocalStorage } from 'node:async_hooks'
import type { Tenant } from '../../generated/prisma/client.ts'
import { calendarFor } from '../calendar/index.ts'
import { domainError } from '../errors.ts'
import { repairMessages } from '../messages.ts'
import { resolveRepairPolicy } from '../policy.ts'
import type { TenantRules, Tx } from './types.ts'

/** The tenant row a chat command read at its start; its writes take their rules from it. */
const commandTenant = new AsyncLocalStorage<Tenant>()

/**
 * Runs a command with the tenant row it has just read, so its domain writes do not read the row a
 * second time. The row is read fresh for every command, so a policy an admin changed (in any
 * process) applies to the very next command.
 */
export function withTenantAsRead<T>(tenant: Tenant, fn: () => Promise<T>): Promise<T> {
  return commandTenant.run(tenant, fn)
}

export async function loadRules(tx: Tx, tenantId: string): Promise<TenantRules> {
  const known = commandTenant.getStore()
  const tenant = known?.id === tenantId ? known : await tx.tenant.findUnique({ where: { id: tenantId } })
  if (!tenant) throw domainError('tenant.not_found')
  return rulesOf(tenant)
}

/** Counters change with every ticket or booking; they are not part of a tenant's rules. */
const counters = new Set<string>(['lastTicketNumber', 'lastBookingNumber', 'lastWaitlistNumber', 'updatedAt'])

/**
 * Resolving a policy and building its messages is most of a rules load: the result is kept per
 * tenant for as long as the tenant's settings (every column but the counters) stay the same.
 */
const resolved = new Map<string, { settings: string; rules: TenantRules }>()

function rulesOf(tenant: Tenant): TenantRules {
  const settings = JSON.stringify(tenant, (key, value) => (counters.has(key) ? undefined : value))
  const cached = resolved.get(tenant.id)
  if (cached?.settings === settings) return cached.rules
  const calendar = calendarFor(tenant)
  const rules = { tenantId: tenant.id, policy: resolveRepairPolicy(tenant.policy), calendar, messages: repairMessages(tenant.locale, calendar.timeZone) }
  resolved.set(tenant.id, { settings, rules })
  return rules
}
