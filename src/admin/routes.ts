import type { FastifyPluginAsync } from 'fastify'
import type { AppContext } from '../context.ts'

/** Admin JSON API under /admin/api. */
export function adminRoutes(_ctx: AppContext): FastifyPluginAsync {
  return async () => {}
}
