import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.ts'
import { NotFound } from '../errors.ts'
import { ADMIN_ACTOR, writeAudit } from './audit.ts'
import { idParams, tenantParams, upsertMemberBody } from './schemas.ts'
import { requireTenant } from './tenant-scope.ts'
import { parseWith } from '../http/validation.ts'
import { memberView } from './views.ts'

export function memberRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    // Upsert by platform user id: this is how a tenant's first admin is named, and how roles change.
    app.post('/tenants/:tenantId/members', async (request, reply) => {
      const { tenantId } = parseWith(tenantParams, request.params)
      const body = parseWith(upsertMemberBody, request.body)
      const { member, created } = await ctx.prisma.$transaction(async (tx) => {
        await requireTenant(tx, tenantId)
        const identity = { tenantId, platform: body.platform, externalUserId: body.externalUserId }
        const existing = await tx.member.findUnique({ where: { tenantId_platform_externalUserId: identity }, select: { id: true } })
        const fields = {
          name: body.name,
          roles: body.roles,
          ...(body.phone !== undefined ? { phone: body.phone } : {}),
          ...(body.aliases !== undefined ? { aliases: body.aliases } : {}),
        }
        const member = await tx.member.upsert({
          where: { tenantId_platform_externalUserId: identity },
          create: { ...identity, ...fields },
          update: fields,
        })
        await writeAudit(tx, {
          tenantId,
          actor: ADMIN_ACTOR,
          action: existing ? 'member.update' : 'member.create',
          target: member.id,
          // The phone number is personal data; the audit only records that one was given.
          data: { platform: member.platform, externalUserId: member.externalUserId, name: member.name, aliases: member.aliases, roles: member.roles, phoneGiven: body.phone !== undefined },
        })
        return { member, created: !existing }
      })
      return reply.code(created ? 201 : 200).send(memberView(member))
    })

    app.get('/tenants/:tenantId/members', async (request) => {
      const { tenantId } = parseWith(tenantParams, request.params)
      await requireTenant(ctx.prisma, tenantId)
      const members = await ctx.prisma.member.findMany({ where: { tenantId }, orderBy: { createdAt: 'asc' } })
      return members.map(memberView)
    })

    // Inactive members are never @-mentioned by reminders nor assigned work; their history stays.
    for (const [action, active] of [['deactivate', false], ['activate', true]] as const) {
      app.post(`/members/:id/${action}`, async (request) => {
        const { id } = parseWith(idParams, request.params)
        const member = await ctx.prisma.$transaction(async (tx) => {
          const found = await tx.member.findUnique({ where: { id } })
          if (!found) throw new NotFound('member not found')
          // Already in that state: nothing changed, so nothing to record.
          if (found.active === active) return found
          const updated = await tx.member.update({ where: { id }, data: { active } })
          await writeAudit(tx, { tenantId: found.tenantId, actor: ADMIN_ACTOR, action: `member.${action}`, target: id, data: { name: found.name } })
          return updated
        })
        return memberView(member)
      })
    }
  }
}
