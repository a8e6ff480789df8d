import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../context.ts'
import { ADMIN_ACTOR, writeAudit } from './audit.ts'
import { BINDING_CODE_TTL_MS, generateBindingCode } from './binding.ts'
import { createBindingCodeBody, tenantParams } from './schemas.ts'
import { isUniqueViolation, requireTenant } from './tenant-scope.ts'
import { parseWith } from '../http/validation.ts'

export function bindingCodeRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    app.post('/tenants/:tenantId/binding-codes', async (request, reply) => {
      const { tenantId } = parseWith(tenantParams, request.params)
      const { purpose } = parseWith(createBindingCodeBody, request.body)
      await requireTenant(ctx.prisma, tenantId)
      const expiresAt = new Date(ctx.clock.now().getTime() + BINDING_CODE_TTL_MS)
      // A collision is astronomically rare, but a retry costs nothing and beats a 500.
      for (let attempt = 0; ; attempt++) {
        const code = generateBindingCode()
        try {
          await ctx.prisma.$transaction(async (tx) => {
            await tx.bindingCode.create({ data: { code, tenantId, purpose, expiresAt } })
            // The code itself is the secret that binds a group; the audit keeps only its first characters.
            await writeAudit(tx, {
              tenantId,
              actor: ADMIN_ACTOR,
              action: 'binding_code.create',
              target: `${code.slice(0, 2)}…`,
              data: { purpose, expiresAt: expiresAt.toISOString() },
            })
          })
          return reply.code(201).send({ code, purpose, expiresAt: expiresAt.toISOString(), instructions: `请在要绑定的群里发送：绑定 ${code}（24 小时内有效，只能使用一次）` })
        } catch (error) {
          if (!isUniqueViolation(error) || attempt >= 4) throw error
        }
      }
    })
  }
}
