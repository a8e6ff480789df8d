import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.ts'
import { Conflict, NotFound } from '../errors.ts'
import type { Platform, Prisma } from '../generated/prisma/client.ts'
import { ADMIN_ACTOR, writeAudit } from './audit.ts'
import { extractPushKey } from './push-key.ts'
import { createGroupBody, idParams, tenantParams, updateGroupBody } from './schemas.ts'
import { isUniqueViolation, requireTenant } from './tenant-scope.ts'
import { InvalidRequest, parseWith } from '../http/validation.ts'
import { groupView } from './views.ts'

/** A message-push key only means something to WeCom's group robot API. */
function assertPushKeyAllowed(platform: Platform): void {
  if (platform !== 'wecom') throw new InvalidRequest([{ field: 'pushKey', message: 'only WeCom groups have a message-push key' }])
}

export function alreadyBound(platform: Platform, externalId: string): Conflict {
  // Never say which tenant holds it: tenants must not learn about each other.
  return new Conflict(`the ${platform} group ${externalId} is already bound`, 'unbind it first, or check the chat id')
}

export function groupRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    app.post('/tenants/:tenantId/groups', async (request, reply) => {
      const { tenantId } = parseWith(tenantParams, request.params)
      const body = parseWith(createGroupBody, request.body)
      if (body.pushKey !== undefined) assertPushKeyAllowed(body.platform)
      const pushKey = body.pushKey === undefined ? null : ctx.secrets.seal(extractPushKey(body.pushKey))

      const group = await ctx.prisma
        .$transaction(async (tx) => {
          await requireTenant(tx, tenantId)
          if (body.connectionId) await requireConnection(tx, tenantId, body.connectionId, body.platform)
          const created = await tx.chatGroup.create({
            data: {
              tenantId,
              platform: body.platform,
              connectionId: body.connectionId ?? null,
              externalId: body.externalId,
              name: body.name,
              purpose: body.purpose,
              pushKey,
              ...(body.summaryTime ? { summaryTime: body.summaryTime } : {}),
              ...(body.summaryEnabled !== undefined ? { summaryEnabled: body.summaryEnabled } : {}),
            },
          })
          await writeAudit(tx, {
            tenantId,
            actor: ADMIN_ACTOR,
            action: 'group.create',
            target: created.id,
            data: {
              platform: created.platform,
              externalId: created.externalId,
              name: created.name,
              purpose: created.purpose,
              connectionId: created.connectionId,
              hasPushKey: pushKey !== null,
              summaryEnabled: created.summaryEnabled,
              summaryTime: created.summaryTime,
            },
          })
          return created
        })
        .catch((error: unknown) => {
          throw isUniqueViolation(error) ? alreadyBound(body.platform, body.externalId) : error
        })
      return reply.code(201).send(groupView(group))
    })

    app.get('/tenants/:tenantId/groups', async (request) => {
      const { tenantId } = parseWith(tenantParams, request.params)
      await requireTenant(ctx.prisma, tenantId)
      const groups = await ctx.prisma.chatGroup.findMany({ where: { tenantId }, orderBy: [{ purpose: 'asc' }, { createdAt: 'asc' }] })
      return groups.map(groupView)
    })

    app.patch('/groups/:id', async (request) => {
      const { id } = parseWith(idParams, request.params)
      const patch = parseWith(updateGroupBody, request.body)
      const group = await ctx.prisma.$transaction(async (tx) => {
        const found = await tx.chatGroup.findUnique({ where: { id } })
        if (!found) throw new NotFound('group not found')
        if (typeof patch.pushKey === 'string') assertPushKeyAllowed(found.platform)
        const pushKey = patch.pushKey === undefined ? undefined : patch.pushKey === null ? null : ctx.secrets.seal(extractPushKey(patch.pushKey))
        const updated = await tx.chatGroup.update({
          where: { id },
          data: {
            name: patch.name,
            purpose: patch.purpose,
            summaryTime: patch.summaryTime,
            summaryEnabled: patch.summaryEnabled,
            pushKey,
          },
        })
        const changes: Prisma.InputJsonObject = {
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.purpose !== undefined ? { purpose: patch.purpose } : {}),
          ...(patch.summaryTime !== undefined ? { summaryTime: patch.summaryTime } : {}),
          ...(patch.summaryEnabled !== undefined ? { summaryEnabled: patch.summaryEnabled } : {}),
          ...(pushKey !== undefined ? { pushKey: pushKey === null ? 'removed' : 'replaced' } : {}),
        }
        await writeAudit(tx, { tenantId: found.tenantId, actor: ADMIN_ACTOR, action: 'group.update', target: id, data: changes })
        return updated
      })
      return groupView(group)
    })

    // Unbinding keeps the tenant's history: tickets, reminders and outgoing messages only lose their
    // link to the group (onDelete SetNull); the group's own summary runs go with it (Cascade).
    app.delete('/groups/:id', async (request, reply) => {
      const { id } = parseWith(idParams, request.params)
      await ctx.prisma.$transaction(async (tx) => {
        const found = await tx.chatGroup.findUnique({ where: { id } })
        if (!found) throw new NotFound('group not found')
        await tx.chatGroup.delete({ where: { id } })
        await writeAudit(tx, {
          tenantId: found.tenantId,
          actor: ADMIN_ACTOR,
          action: 'group.unbind',
          target: id,
          data: { platform: found.platform, externalId: found.externalId, name: found.name, purpose: found.purpose, connectionId: found.connectionId },
        })
      })
      return reply.code(204).send()
    })
  }
}

async function requireConnection(tx: Prisma.TransactionClient, tenantId: string, connectionId: string, platform: Platform): Promise<void> {
  const connection = await tx.platformConnection.findUnique({ where: { id: connectionId }, select: { tenantId: true, platform: true } })
  // Another tenant's connection looks exactly like a missing one.
  if (!connection || connection.tenantId !== tenantId) {
    throw new InvalidRequest([{ field: 'connectionId', message: 'no such connection for this tenant' }])
  }
  if (connection.platform !== platform) {
    throw new InvalidRequest([{ field: 'connectionId', message: `is a ${connection.platform} connection, not ${platform}` }])
  }
}
