import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.ts'
import { forgetConnection } from '../platforms/connections.ts'
import { NotFound } from '../errors.ts'
import { ADMIN_ACTOR, writeAudit } from './audit.ts'
import { createConnectionBody, idParams, tenantParams, type CreateConnectionBody } from './schemas.ts'
import { requireTenant } from './tenant-scope.ts'
import { parseWith } from '../http/validation.ts'
import { connectionView } from './views.ts'

/** The public id each platform shows in its console, kept in clear so admins can tell apps apart. */
function publicAppId(body: CreateConnectionBody): string | null {
  return body.platform === 'lark' ? body.credentials.appId : (body.credentials.botId ?? null)
}

export function connectionRoutes(ctx: AppContext) {
  const baseUrl = ctx.config.PUBLIC_BASE_URL
  return async (app: FastifyInstance) => {
    app.post('/tenants/:tenantId/connections', async (request, reply) => {
      const { tenantId } = parseWith(tenantParams, request.params)
      const body = parseWith(createConnectionBody, request.body)
      const connection = await ctx.prisma.$transaction(async (tx) => {
        await requireTenant(tx, tenantId)
        const created = await tx.platformConnection.create({
          data: {
            tenantId,
            platform: body.platform,
            mode: body.mode,
            name: body.name,
            appId: publicAppId(body),
            credentials: ctx.secrets.sealJson(body.credentials),
          },
        })
        await writeAudit(tx, {
          tenantId,
          actor: ADMIN_ACTOR,
          action: 'connection.create',
          target: created.id,
          data: { platform: created.platform, mode: created.mode, name: created.name, appId: created.appId },
        })
        return created
      })
      return reply.code(201).send(connectionView(connection, baseUrl))
    })

    app.get('/tenants/:tenantId/connections', async (request) => {
      const { tenantId } = parseWith(tenantParams, request.params)
      await requireTenant(ctx.prisma, tenantId)
      const connections = await ctx.prisma.platformConnection.findMany({ where: { tenantId }, orderBy: { createdAt: 'asc' } })
      return connections.map((connection) => connectionView(connection, baseUrl))
    })

    app.post('/connections/:id/disable', async (request) => {
      const { id } = parseWith(idParams, request.params)
      const connection = await ctx.prisma.$transaction(async (tx) => {
        const found = await tx.platformConnection.findUnique({ where: { id } })
        if (!found) throw new NotFound('connection not found')
        // Disabling twice keeps the first disabledAt: it is when deliveries actually stopped.
        if (!found.enabled) return found
        const updated = await tx.platformConnection.update({ where: { id }, data: { enabled: false, disabledAt: ctx.clock.now() } })
        await writeAudit(tx, { tenantId: found.tenantId, actor: ADMIN_ACTOR, action: 'connection.disable', target: id })
        return updated
      })
      forgetConnection(ctx, id)
      return connectionView(connection, baseUrl)
    })

    app.post('/connections/:id/enable', async (request) => {
      const { id } = parseWith(idParams, request.params)
      const connection = await ctx.prisma.$transaction(async (tx) => {
        const found = await tx.platformConnection.findUnique({ where: { id } })
        if (!found) throw new NotFound('connection not found')
        if (found.enabled) return found
        const updated = await tx.platformConnection.update({ where: { id }, data: { enabled: true, disabledAt: null } })
        await writeAudit(tx, { tenantId: found.tenantId, actor: ADMIN_ACTOR, action: 'connection.enable', target: id })
        return updated
      })
      // A cached "not found" from while it was disabled would otherwise refuse webhooks for a while.
      forgetConnection(ctx, id)
      return connectionView(connection, baseUrl)
    })
  }
}
