import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.ts'
import { Conflict, NotFound } from '../errors.ts'
import type { Department, Prisma } from '../generated/prisma/client.ts'
import { InvalidRequest, parseWith } from '../http/validation.ts'
import { ADMIN_ACTOR, writeAudit } from './audit.ts'
import { createDepartmentBody, idParams, tenantParams, updateDepartmentBody } from './schemas.ts'
import { isUniqueViolation, requireTenant } from './tenant-scope.ts'

type Field = { field: string; message: string }

/** What the admin sees of a department: everything, it holds no secrets. */
export function departmentView(department: Department) {
  return {
    id: department.id,
    name: department.name,
    aliases: department.aliases,
    headIds: department.headIds,
    groupId: department.groupId,
    limitHours: department.limitHours,
  }
}

/** Heads must be active staff of this tenant; another tenant's member looks like a missing one. */
async function checkHeads(tx: Prisma.TransactionClient, tenantId: string, headIds: string[]): Promise<Field[]> {
  if (!headIds.length) return []
  const found = await tx.member.findMany({ where: { tenantId, id: { in: headIds } }, select: { id: true, active: true } })
  return headIds.flatMap((id, index): Field[] => {
    const member = found.find((row) => row.id === id)
    if (!member) return [{ field: `headIds.${index}`, message: 'no such member for this tenant' }]
    if (!member.active) return [{ field: `headIds.${index}`, message: 'is deactivated; activate the member first' }]
    return []
  })
}

async function checkGroup(tx: Prisma.TransactionClient, tenantId: string, groupId: string | null | undefined): Promise<Field[]> {
  if (!groupId) return []
  const group = await tx.chatGroup.findUnique({ where: { id: groupId }, select: { tenantId: true } })
  return group?.tenantId === tenantId ? [] : [{ field: 'groupId', message: 'no such group for this tenant' }]
}

/**
 * 转交 finds a department by name or alias, so no word may name two departments of a tenant:
 * the second would never be reached.
 */
async function checkNames(tx: Prisma.TransactionClient, tenantId: string, selfId: string | null, name: string, aliases: string[]): Promise<Field[]> {
  const others = await tx.department.findMany({ where: { tenantId, ...(selfId ? { id: { not: selfId } } : {}) }, select: { name: true, aliases: true } })
  const holder = (word: string) => others.find((other) => other.name.toLowerCase() === word.toLowerCase() || other.aliases.includes(word))
  const fields: Field[] = []
  const nameHolder = others.find((other) => other.aliases.includes(name))
  if (nameHolder) fields.push({ field: 'name', message: `is already an alias of ${nameHolder.name}` })
  aliases.forEach((alias, index) => {
    if (alias === name) fields.push({ field: `aliases.${index}`, message: 'is the department’s own name' })
    const other = holder(alias)
    if (other) fields.push({ field: `aliases.${index}`, message: `already names ${other.name}` })
  })
  return fields
}

function nameTaken(name: string): Conflict {
  return new Conflict(`a department named ${name} already exists`, 'choose another name or edit that department')
}

export function departmentRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    app.post('/tenants/:tenantId/departments', async (request, reply) => {
      const { tenantId } = parseWith(tenantParams, request.params)
      const body = parseWith(createDepartmentBody, request.body)
      const department = await ctx.prisma
        .$transaction(async (tx) => {
          await requireTenant(tx, tenantId)
          const aliases = body.aliases ?? []
          const headIds = body.headIds ?? []
          const refused = [...(await checkNames(tx, tenantId, null, body.name, aliases)), ...(await checkHeads(tx, tenantId, headIds)), ...(await checkGroup(tx, tenantId, body.groupId))]
          if (refused.length) throw new InvalidRequest(refused)
          const created = await tx.department.create({
            data: { tenantId, name: body.name, aliases, headIds, groupId: body.groupId ?? null, limitHours: body.limitHours ?? {} },
          })
          await writeAudit(tx, { tenantId, actor: ADMIN_ACTOR, action: 'department.create', target: created.id, data: departmentView(created) })
          return created
        })
        .catch((error: unknown) => {
          throw isUniqueViolation(error) ? nameTaken(body.name) : error
        })
      return reply.code(201).send(departmentView(department))
    })

    app.get('/tenants/:tenantId/departments', async (request) => {
      const { tenantId } = parseWith(tenantParams, request.params)
      await requireTenant(ctx.prisma, tenantId)
      const departments = await ctx.prisma.department.findMany({ where: { tenantId }, orderBy: { name: 'asc' } })
      return departments.map(departmentView)
    })

    app.patch('/departments/:id', async (request) => {
      const { id } = parseWith(idParams, request.params)
      const patch = parseWith(updateDepartmentBody, request.body)
      const department = await ctx.prisma
        .$transaction(async (tx) => {
          const found = await tx.department.findUnique({ where: { id } })
          if (!found) throw new NotFound('department not found')
          const name = patch.name ?? found.name
          const aliases = patch.aliases ?? found.aliases
          const refused = [
            ...(await checkNames(tx, found.tenantId, id, name, aliases)),
            ...(patch.headIds ? await checkHeads(tx, found.tenantId, patch.headIds) : []),
            ...(await checkGroup(tx, found.tenantId, patch.groupId)),
          ]
          if (refused.length) throw new InvalidRequest(refused)
          const updated = await tx.department.update({
            where: { id },
            data: { name: patch.name, aliases: patch.aliases, headIds: patch.headIds, groupId: patch.groupId, limitHours: patch.limitHours },
          })
          const changes = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Prisma.InputJsonObject
          await writeAudit(tx, { tenantId: found.tenantId, actor: ADMIN_ACTOR, action: 'department.update', target: id, data: changes })
          return updated
        })
        .catch((error: unknown) => {
          throw isUniqueViolation(error) ? nameTaken(patch.name ?? '') : error
        })
      return departmentView(department)
    })

    // Complaints keep their history: a deleted department's tickets and members only lose the link.
    app.delete('/departments/:id', async (request, reply) => {
      const { id } = parseWith(idParams, request.params)
      await ctx.prisma.$transaction(async (tx) => {
        const found = await tx.department.findUnique({ where: { id } })
        if (!found) throw new NotFound('department not found')
        await tx.department.delete({ where: { id } })
        await writeAudit(tx, { tenantId: found.tenantId, actor: ADMIN_ACTOR, action: 'department.delete', target: id, data: { name: found.name } })
      })
      return reply.code(204).send()
    })
  }
}
