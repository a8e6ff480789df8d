import { AsyncLocalStorage } from 'node:async_hooks'
import type { PrismaClient, Tenant } from '../../generated/prisma/client.ts'
import { calendarFor } from '../calendar/index.ts'
import { domainError } from '../errors.ts'
import { repairMessages } from '../messages.ts'
import { resolveRepairPolicy } from '../policy.ts'
import type { TenantRules, Tx } from './types.ts'

/** The tenant row a chat command runs with; its writes take their rules from it. */
const commandTenant = new AsyncLocalStorage<Tenant>()

/** Runs a command with the tenant row it already has, so its domain writes do not read the row again. */
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
const counters = ['lastTicketNumber', 'lastBookingNumber', 'lastWaitlistNumber', 'updatedAt']
const isCounter = new Set<string>(counters)

/**
 * SQL for a digest of the settings of the Tenant row `alias` (every column but the counters): a
 * statement a command sends anyway returns it, and tenantAsOf reads the row only when it changed.
 */
export const settingsVersionSql = (alias: string) => `md5((to_jsonb(${alias}) ${counters.map((name) => `- '${name}'`).join(' ')})::text)`

const tenants = new Map<string, { version: string; tenant: Tenant }>()

/**
 * The tenant row for a command, kept per tenant while its settings version (settingsVersionSql,
 * read in the same process's statement just before) stays the same: a policy an admin changes in
 * any process applies to the very next command. Without a version the row is read.
 */
export async function tenantAsOf(prisma: Pick<PrismaClient, 'tenant'>, tenantId: string, version?: string | null): Promise<Tenant> {
  const cached = tenants.get(tenantId)
  if (version && cached?.version === version) return cached.tenant
  const tenant = await prisma.tenant.findUniqueOrThrow({ where: { id: tenantId } })
  // Read after the version: if it changed in between, the next command sees a new version and reads again.
  if (version) tenants.set(tenantId, { version, tenant })
  return tenant
}

/**
 * Resolving a policy and building its messages is most of a rules load: the result is kept per
 * tenant for as long as the tenant's settings stay the same. A row kept by tenantAsOf is
 * recognised as itself, without comparing its settings.
 */
const resolved = new Map<string, { settings: string; rules: TenantRules }>()
const rulesOfRow = new WeakMap<Tenant, TenantRules>()

function rulesOf(tenant: Tenant): TenantRules {
  const known = rulesOfRow.get(tenant)
  if (known) return known
  const settings = JSON.stringify(tenant, (key, value) => (isCounter.has(key) ? undefined : value))
  const cached = resolved.get(tenant.id)
  let rules = cached?.settings === settings ? cached.rules : undefined
  if (!rules) {
    const calendar = calendarFor(tenant)
    rules = { tenantId: tenant.id, policy: resolveRepairPolicy(tenant.policy), calendar, messages: repairMessages(tenant.locale, calendar.timeZone) }
    resolved.set(tenant.id, { settings, rules })
  }
  rulesOfRow.set(tenant, rules)
  return rules
}
