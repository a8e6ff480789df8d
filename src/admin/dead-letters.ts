import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.ts'
import { listQuery, tenantParams } from './schemas.ts'
import { requireTenant } from './tenant-scope.ts'
import { parseWith } from '../http/validation.ts'
import { deadLetterView } from './views.ts'

export function deadLetterRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    app.get('/tenants/:tenantId/dead-letters', async (request) => {
      const { tenantId } = parseWith(tenantParams, request.params)
      const { limit } = parseWith(listQuery, request.query)
      await requireTenant(ctx.prisma, tenantId)
      const rows = await ctx.prisma.outgoingMessage.findMany({
        where: { tenantId, deadLetter: true },
        orderBy: { createdAt: 'desc' },
        take: limit,
      })
      return rows.map(deadLetterView)
    })
  }
}
