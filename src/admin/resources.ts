import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.ts'
import { Conflict, NotFound } from '../errors.ts'
import type { Prisma, Resource } from '../generated/prisma/client.ts'
import { InvalidRequest, parseWith } from '../http/validation.ts'
import { ADMIN_ACTOR, writeAudit } from './audit.ts'
import { createResourceBody, openingProblems, resourceParams, tenantParams, updateResourceBody } from './schemas.ts'
import { isUniqueViolation, requireTenant } from './tenant-scope.ts'

type Field = { field: string; message: string }

/** What the admin sees of a resource: every field, it holds no secrets. */
export function resourceView(resource: Resource) {
  return {
    id: resource.id,
    name: resource.name,
    aliases: resource.aliases,
    kind: resource.kind,
    capacity: resource.capacity,
    opensAt: resource.opensAt,
    closesAt: resource.closesAt,
    slotMinutes: resource.slotMinutes,
    defaultMinutes: resource.defaultMinutes,
    bufferBeforeMinutes: resource.bufferBeforeMinutes,
    bufferAfterMinutes: resource.bufferAfterMinutes,
    minNoticeMinutes: resource.minNoticeMinutes,
    maxAdvanceDays: resource.maxAdvanceDays,
    depositRequired: resource.depositRequired,
    priceCents: resource.priceCents,
    prepRoles: resource.prepRoles,
    active: resource.active,
  }
}

/**
 * A booking command finds its resource by name or alias, so no word may name two resources of a
 * tenant (deactivated ones included: activating one must not make a word ambiguous).
 */
async function checkNames(tx: Prisma.TransactionClient, tenantId: string, selfId: string | null, name: string, aliases: string[]): Promise<Field[]> {
  const others = await tx.resource.findMany({ where: { tenantId, ...(selfId ? { id: { not: selfId } } : {}) }, select: { name: true, aliases: true } })
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()
  const holder = (word: string) => others.find((other) => same(other.name, word) || other.aliases.some((alias) => same(alias, word)))
  const fields: Field[] = []
  const nameHolder = others.find((other) => other.aliases.some((alias) => same(alias, name)))
  if (nameHolder) fields.push({ field: 'name', message: `is already an alias of ${nameHolder.name}` })
  aliases.forEach((alias, index) => {
    if (same(alias, name)) fields.push({ field: `aliases.${index}`, message: 'is the resource’s own name' })
    const other = holder(alias)
    if (other) fields.push({ field: `aliases.${index}`, message: `already names ${other.name}` })
  })
  return fields
}

function nameTaken(name: string): Conflict {
  return new Conflict(`a resource named ${name} already exists`, 'choose another name or edit that resource')
}

/** The tenant's resource, or the same 404 whether it does not exist or belongs to another tenant. */
async function findOwn(tx: Prisma.TransactionClient, tenantId: string, id: string): Promise<Resource> {
  await requireTenant(tx, tenantId)
  const found = await tx.resource.findUnique({ where: { id } })
  if (!found || found.tenantId !== tenantId) throw new NotFound('resource not found')
  return found
}

/** Only the fields a request named, for the audit entry. */
const named = (patch: Record<string, unknown>) => Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Prisma.InputJsonObject

/**
 * Admin API for bookable resources. Changes apply to bookings made from then on: a booking keeps
 * the lane and hold range it was given, so lowering capacity or buffers never moves one.
 */
export function resourceRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    app.get('/tenants/:tenantId/resources', async (request) => {
      const { tenantId } = parseWith(tenantParams, request.params)
      await requireTenant(ctx.prisma, tenantId)
      const resources = await ctx.prisma.resource.findMany({ where: { tenantId }, orderBy: [{ active: 'desc' }, { name: 'asc' }] })
      return resources.map(resourceView)
    })

    app.post('/tenants/:tenantId/resources', async (request, reply) => {
      const { tenantId } = parseWith(tenantParams, request.params)
      const body = parseWith(createResourceBody, request.body)
      const resource = await ctx.prisma
        .$transaction(async (tx) => {
          await requireTenant(tx, tenantId)
          const aliases = body.aliases ?? []
          const refused = [...openingProblems(body), ...(await checkNames(tx, tenantId, null, body.name, aliases))]
          if (refused.length) throw new InvalidRequest(refused)
          const created = await tx.resource.create({ data: { ...body, tenantId, aliases, prepRoles: body.prepRoles ?? [], priceCents: body.priceCents ?? null } })
          await writeAudit(tx, { tenantId, actor: ADMIN_ACTOR, action: 'resource.create', target: created.id, data: resourceView(created) })
          return created
        })
        .catch((error: unknown) => {
          throw isUniqueViolation(error) ? nameTaken(body.name) : error
        })
      return reply.code(201).send(resourceView(resource))
    })

    app.patch('/tenants/:tenantId/resources/:id', async (request) => {
      const { tenantId, id } = parseWith(resourceParams, request.params)
      const patch = parseWith(updateResourceBody, request.body)
      const resource = await ctx.prisma
        .$transaction(async (tx) => {
          const found = await findOwn(tx, tenantId, id)
          const merged = { ...found, ...named(patch) } as Resource
          const refused = [...openingProblems(merged), ...(await checkNames(tx, tenantId, id, merged.name, merged.aliases))]
          if (refused.length) throw new InvalidRequest(refused)
          const updated = await tx.resource.update({ where: { id }, data: patch })
          await writeAudit(tx, { tenantId, actor: ADMIN_ACTOR, action: 'resource.update', target: id, data: named(patch) })
          return updated
        })
        .catch((error: unknown) => {
          throw isUniqueViolation(error) ? nameTaken(patch.name ?? '') : error
        })
      return resourceView(resource)
    })

    // A deactivated resource cannot be booked and leaves 资源; bookings already made stay as they are.
    for (const [action, active] of [['deactivate', false], ['activate', true]] as const) {
      app.post(`/tenants/:tenantId/resources/:id/${action}`, async (request) => {
        const { tenantId, id } = parseWith(resourceParams, request.params)
        const resource = await ctx.prisma.$transaction(async (tx) => {
          const found = await findOwn(tx, tenantId, id)
          // Already in that state: nothing changed, so nothing to record.
          if (found.active === active) return found
          const updated = await tx.resource.update({ where: { id }, data: { active } })
          await writeAudit(tx, { tenantId, actor: ADMIN_ACTOR, action: `resource.${action}`, target: id, data: { name: found.name } })
          return updated
        })
        return resourceView(resource)
      })
    }
  }
}
