import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.ts'
import type { Prisma } from '../generated/prisma/client.ts'
import { requireTenant } from './tenant-scope.ts'
import { listQuery, tenantParams } from './schemas.ts'
import { parseWith } from '../http/validation.ts'
import { auditView } from './views.ts'

/** Who made admin API changes: the shared token carries no identity beyond itself. */
export const ADMIN_ACTOR = 'admin-token'

export interface AuditEntry {
  tenantId: string | null
  actor: string
  action: string
  target?: string
  /** Never secrets: callers pass field names, flags and public ids only. */
  data?: Prisma.InputJsonObject
}

/** Appends one audit row; called inside the same transaction as the change it records. */
export async function writeAudit(tx: Prisma.TransactionClient, entry: AuditEntry): Promise<void> {
  await tx.auditLog.create({
    data: { tenantId: entry.tenantId, actor: entry.actor, action: entry.action, target: entry.target ?? null, data: entry.data ?? {} },
  })
}

export function auditRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    app.get('/tenants/:tenantId/audit', async (request) => {
      const { tenantId } = parseWith(tenantParams, request.params)
      const { limit } = parseWith(listQuery, request.query)
      await requireTenant(ctx.prisma, tenantId)
      const rows = await ctx.prisma.auditLog.findMany({ where: { tenantId }, orderBy: { at: 'desc' }, take: limit })
      return rows.map(auditView)
    })
  }
}
