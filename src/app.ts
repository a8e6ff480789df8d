import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import { adminPageRoutes } from './admin/page/routes.ts'
import { adminRoutes } from './admin/routes.ts'
import type { Config } from './config.ts'
import type { AppContext } from './context.ts'
import { AppError, httpStatusOf } from './errors.ts'
import { refuseNulBytes } from './http/nul-bytes.ts'
import { InvalidRequest } from './http/validation.ts'
import { webhookRoutes } from './http/webhooks.ts'
import { childOnFirstLine, OneLinePerRequest } from './logger.ts'
import { consoleRoutes } from './platforms/console/routes.ts'
import { workspaceRoutes } from './workspace/routes.ts'

export interface BuildAppOptions {
  /** Tests pass false to keep output quiet. */
  logger?: boolean
}

/**
 * The HTTP side of frontdesk as one Fastify instance. main.ts listens; tests call `inject`.
 * Routes are plugins registered in order: health, then webhooks, console and admin.
 */
export async function buildApp(ctx: AppContext, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    // The process's own logger (its redaction and path-only serializers), one line per request.
    ...(options.logger === false ? { logger: false } : { loggerInstance: ctx.log as FastifyBaseLogger, childLoggerFactory: childOnFirstLine }),
    logController: new OneLinePerRequest(),
    bodyLimit: 1 << 20,
    trustProxy: fastifyTrustProxy(ctx.config.TRUST_PROXY),
  })

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof InvalidRequest) return reply.code(400).send({ error: 'invalid request', fields: error.fields })
    const status = error instanceof AppError ? httpStatusOf(error) : ((error as { statusCode?: number }).statusCode ?? 500)
    if (status >= 500) request.log.error({ err: error }, 'request failed')
    const message = status >= 500 ? 'internal error' : (error as Error).message
    return reply.code(status).send({ error: message, ...(error instanceof AppError && error.hint ? { hint: error.hint } : {}) })
  })

  app.addHook('preValidation', refuseNulBytes)

  app.get('/healthz', async () => ({ ok: true }))

  app.get('/readyz', async (_request, reply) => {
    // A dead dependency must turn into a quick 503, not a hanging probe.
    const checks = await Promise.allSettled([withTimeout(ctx.db.sql.query('SELECT 1')), withTimeout(ctx.redis.ping())])
    const [database, redis] = checks.map((check) => (check.status === 'fulfilled' ? 'ok' : 'down'))
    const ready = database === 'ok' && redis === 'ok'
    return reply.code(ready ? 200 : 503).send({ ready, database, redis })
  })

  await app.register(webhookRoutes(ctx), { prefix: '/webhooks' })
  await app.register(consoleRoutes(ctx), { prefix: '/console' })
  await app.register(adminRoutes(ctx), { prefix: '/admin/api' })
  await app.register(adminPageRoutes())
  await app.register(workspaceRoutes(ctx), { prefix: '/workspace' })

  return app
}

/**
 * Fastify 5.12 treats a numeric trustProxy as "trust nothing" (it cannot check the peer), which
 * would give every client behind the proxy the proxy's address. A hop count here means what
 * proxy-addr means by it: believe the nearest N hops, so the client is the address the outermost
 * trusted proxy saw, whatever the client wrote into X-Forwarded-For itself.
 */
function fastifyTrustProxy(setting: Config['TRUST_PROXY']): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting !== 'number') return setting
  return (_address, hop) => hop < setting
}

function withTimeout<T>(work: Promise<T>, ms = 2000): Promise<T> {
  return Promise.race([work, new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timed out')), ms).unref())])
}
