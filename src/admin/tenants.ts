import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.ts'
import { NotFound } from '../errors.ts'
import { ADMIN_ACTOR, writeAudit } from './audit.ts'
import { createTenantBody, tenantParams } from './schemas.ts'
import { parseWith } from '../http/validation.ts'
import { tenantView } from './views.ts'

export function tenantRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    app.post('/tenants', async (request, reply) => {
      const body = parseWith(createTenantBody, request.body)
      const tenant = await ctx.prisma.$transaction(async (tx) => {
        const created = await tx.tenant.create({
          data: {
            name: body.name,
            timeZone: body.timeZone,
            ...(body.businessHours ? { businessHours: body.businessHours } : {}),
            ...(body.holidays ? { holidays: [...new Set(body.holidays)].sort() } : {}),
          },
        })
        await writeAudit(tx, {
          tenantId: created.id,
          actor: ADMIN_ACTOR,
          action: 'tenant.create',
          target: created.id,
          data: { name: created.name, timeZone: created.timeZone },
        })
        return created
      })
      return reply.code(201).send(tenantView(tenant))
    })

    app.get('/tenants', async () => {
      const tenants = await ctx.prisma.tenant.findMany({ orderBy: { createdAt: 'asc' } })
      return tenants.map(tenantView)
    })

    app.get('/tenants/:tenantId', async (request) => {
      const { tenantId } = parseWith(tenantParams, request.params)
      const tenant = await ctx.prisma.tenant.findUnique({ where: { id: tenantId } })
      if (!tenant) throw new NotFound('tenant not found')
      return tenantView(tenant)
    })
  }
}
