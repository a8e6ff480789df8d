import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.ts'
import { NotFound } from '../errors.ts'
import type { Prisma } from '../generated/prisma/client.ts'
import { defaultRepairPolicy, policyOverridesSchema, resolveRepairPolicy } from '../domain/policy.ts'
import { defaultComplaintPolicy, readComplaintPolicy } from '../domain/complaints/policy.ts'
import { ADMIN_ACTOR, writeAudit } from './audit.ts'
import { createTenantBody, tenantParams, unknownResolveHours, updateTenantBody } from './schemas.ts'
import { InvalidRequest, parseWith } from '../http/validation.ts'
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
            ...(body.extraWorkdays ? { extraWorkdays: [...new Set(body.extraWorkdays)].sort() } : {}),
            ...(body.officialHolidays !== undefined ? { officialHolidays: body.officialHolidays } : {}),
            ...(body.bookingReminderTime ? { bookingReminderTime: body.bookingReminderTime } : {}),
            ...(body.bookingAuditTime ? { bookingAuditTime: body.bookingAuditTime } : {}),
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

    app.patch('/tenants/:tenantId', async (request) => {
      const { tenantId } = parseWith(tenantParams, request.params)
      const patch = parseWith(updateTenantBody, request.body)
      const strays = unknownResolveHours((request.body as { policy?: unknown }).policy)
      if (strays.length) throw new InvalidRequest(strays)

      const holidays = patch.holidays === undefined ? undefined : [...new Set(patch.holidays)].sort()
      const extraWorkdays = patch.extraWorkdays === undefined ? undefined : [...new Set(patch.extraWorkdays)].sort()
      const policy = patch.policy as Prisma.InputJsonObject | undefined
      const tenant = await ctx.prisma.$transaction(async (tx) => {
        const found = await tx.tenant.findUnique({ where: { id: tenantId }, select: { id: true } })
        if (!found) throw new NotFound('tenant not found')
        const updated = await tx.tenant.update({
          where: { id: tenantId },
          data: {
            name: patch.name,
            timeZone: patch.timeZone,
            businessHours: patch.businessHours,
            holidays,
            extraWorkdays,
            officialHolidays: patch.officialHolidays,
            // The audit sweep reads the time every minute, so a new audit time holds from today on.
            bookingReminderTime: patch.bookingReminderTime,
            bookingAuditTime: patch.bookingAuditTime,
            policy,
          },
        })
        // Tenants hold no secrets, so the audit keeps the new values themselves.
        const changes: Prisma.InputJsonObject = {
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.timeZone !== undefined ? { timeZone: patch.timeZone } : {}),
          ...(patch.businessHours !== undefined ? { businessHours: patch.businessHours } : {}),
          ...(holidays !== undefined ? { holidays } : {}),
          ...(extraWorkdays !== undefined ? { extraWorkdays } : {}),
          ...(patch.officialHolidays !== undefined ? { officialHolidays: patch.officialHolidays } : {}),
          ...(patch.bookingReminderTime !== undefined ? { bookingReminderTime: patch.bookingReminderTime } : {}),
          ...(patch.bookingAuditTime !== undefined ? { bookingAuditTime: patch.bookingAuditTime } : {}),
          ...(policy !== undefined ? { policy } : {}),
        }
        await writeAudit(tx, { tenantId, actor: ADMIN_ACTOR, action: 'tenant.update', target: tenantId, data: changes })
        return updated
      })
      return tenantView(tenant)
    })

    // The stored overrides next to the defaults, so a form can show which limits are the tenant's own.
    app.get('/tenants/:tenantId/policy', async (request) => {
      const { tenantId } = parseWith(tenantParams, request.params)
      const tenant = await ctx.prisma.tenant.findUnique({ where: { id: tenantId }, select: { policy: true } })
      if (!tenant) throw new NotFound('tenant not found')
      const stored = policyOverridesSchema.safeParse(tenant.policy ?? {})
      const complaints = readComplaintPolicy(tenant.policy)
      return {
        overrides: tenant.policy ?? {},
        defaults: { ...defaultRepairPolicy, complaints: defaultComplaintPolicy },
        // A policy written before validation existed may be unreadable; say so instead of failing the page.
        effective: stored.success && complaints ? { ...resolveRepairPolicy(stored.data), complaints } : null,
      }
    })
  }
}
