import type { FastifyInstance, FastifyPluginAsync } from 'fastify'
import type { AppContext } from '../context.ts'
import { auditRoutes } from './audit.ts'
import { registerAdminAuth } from './auth.ts'
import { bindingCodeRoutes } from './binding-codes.ts'
import { connectionRoutes } from './connections.ts'
import { deadLetterRoutes } from './dead-letters.ts'
import { departmentRoutes } from './departments.ts'
import { groupRoutes } from './groups.ts'
import { loginRoutes } from './logins.ts'
import { memberRoutes } from './members.ts'
import { resourceRoutes } from './resources.ts'
import { tenantRoutes } from './tenants.ts'
import { InvalidRequest } from '../http/validation.ts'

/**
 * Admin JSON API under /admin/api. The auth hook is added before any route, so every route in
 * this encapsulated plugin sits behind the token.
 */
export function adminRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app: FastifyInstance) => {
    await registerAdminAuth(app, { token: ctx.config.ADMIN_TOKEN, redis: ctx.redis, keyPrefix: `${ctx.config.REDIS_PREFIX}:admin-auth:` })

    // Validation failures name every bad field; everything else goes to the app-wide handler.
    app.setErrorHandler((error, _request, reply) => {
      if (error instanceof InvalidRequest) return reply.code(400).send({ error: 'invalid request', fields: error.fields })
      throw error
    })

    await app.register(tenantRoutes(ctx))
    await app.register(connectionRoutes(ctx))
    await app.register(groupRoutes(ctx))
    await app.register(bindingCodeRoutes(ctx))
    await app.register(memberRoutes(ctx))
    await app.register(loginRoutes(ctx))
    await app.register(departmentRoutes(ctx))
    await app.register(resourceRoutes(ctx))
    await app.register(deadLetterRoutes(ctx))
    await app.register(auditRoutes(ctx))
  }
}
