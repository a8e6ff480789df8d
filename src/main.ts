import 'dotenv/config'
import type { FastifyInstance } from 'fastify'
import { pino } from 'pino'
import { describeDemo, findDemoTenant, seedDemoTenant } from './admin/seed.ts'
import { buildApp } from './app.ts'
import { systemClock } from './clock.ts'
import { ConfigError, loadConfig, type Config } from './config.ts'
import { createContext, type AppContext } from './context.ts'
import { openDatabase } from './db/database.ts'
import { migrateOnStart } from './db/migrate-on-start.ts'
import { CatalogError } from './commands/catalog.ts'
import { applyEffects } from './jobs/effects.ts'
import { createProcessors } from './jobs/processors.ts'
import { startQueueUpkeep } from './jobs/upkeep.ts'
import { startWorkers, type RunningWorkers } from './jobs/workers.ts'
import { withLocalSecrets } from './local-secrets.ts'
import { loggerOptions } from './logger.ts'
import { startLongConnections, type LongConnections } from './platforms/long-connections.ts'
import { ensureRedis, RedisUnavailableError, type RedisChoice } from './redis.ts'
import { createServices, type Services } from './services.ts'
import { exitGracefullyOnSignals, type ShutdownStage } from './shutdown.ts'

/**
 * Entry point. FRONTDESK_ROLE picks what this process runs: `web` (HTTP), `worker` (queues) or
 * `all`. Any number of each can share one PostgreSQL and one Redis.
 */
async function main(): Promise<void> {
  let config: Config
  try {
    config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message)
      process.exit(1)
    }
    throw error
  }
  const secrets = withLocalSecrets(config)
  config = secrets.config
  const log = pino(loggerOptions(config) as object)

  let redis: RedisChoice
  try {
    redis = await ensureRedis(config, (msg) => log.info(msg))
  } catch (error) {
    if (error instanceof RedisUnavailableError) {
      console.error(`frontdesk cannot start: ${error.message}`)
      process.exit(1)
    }
    throw error
  }

  const db = await openDatabase({ url: config.DATABASE_URL, dataDir: `${config.DATA_DIR}/pglite` })
  const applied = await migrateOnStart(db)
  if (applied.length) log.info({ applied }, 'applied database migrations')

  log.info({ redis: redis.description, prefix: config.REDIS_PREFIX }, 'using Redis')
  const ctx = createContext({ config, db, redisUrl: redis.url, clock: systemClock, log })
  let services: Services
  try {
    services = createServices(ctx)
  } catch (error) {
    if (error instanceof CatalogError) {
      console.error(`frontdesk cannot start: ${error.message}`)
      process.exit(1)
    }
    throw error
  }
  const seeded = config.DEMO_SEED ? await seedDemoTenant(ctx) : null
  const role = config.FRONTDESK_ROLE
  let app: FastifyInstance | undefined
  let workers: RunningWorkers | undefined
  let longConnections: LongConnections | undefined

  if (role === 'worker' || role === 'all') {
    workers = startWorkers(
      ctx,
      createProcessors(ctx, {
        handleChat: services.handleChat,
        fireReminder: services.fireReminder,
        fireReminders: services.fireReminders,
        sweepFollowUps: async () => applyEffects(ctx, await services.repairs.flagOverdueFollowUps()),
        sweepBookingAudits: async () => {
          for (const audit of await services.bookings.sweepAudits()) await applyEffects(ctx, audit)
        },
      }),
    )
    // Whatever Redis lost comes back from the database, in the background and every few seconds after.
    startQueueUpkeep(ctx)
    // Inbound without a public URL: connections in long_connection mode feed the same inbox.
    longConnections = startLongConnections(ctx)
  }
  if (role === 'web' || role === 'all') {
    app = await buildApp(ctx)
    await app.listen({ port: config.PORT, host: config.HOST })
  }
  announce(ctx, secrets.file, redis)
  // The console ids are what a newcomer needs on every start, not only the one that created them.
  const demo = seeded ?? (config.DEMO_SEED && config.NODE_ENV !== 'production' ? await findDemoTenant(ctx) : null)
  if (demo && role !== 'worker') console.log(['', ...describeDemo(demo, config.PUBLIC_BASE_URL, { created: seeded !== null })].join('\n'))

  exitGracefullyOnSignals({
    log,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    // Stop intake first (HTTP, long connections), then let workers finish, then close connections.
    stages: () => {
      const [server, connections] = [app, longConnections]
      const intake: ShutdownStage = {}
      if (server) intake['http server'] = () => server.close()
      if (connections) intake['long connections'] = () => connections.close()
      const jobs: ShutdownStage = Object.fromEntries((workers?.workers ?? []).map((worker) => [`${worker.name} worker`, () => worker.close()]))
      return [intake, jobs, { 'database and Redis connections': () => ctx.close() }, { 'local redis-server': () => redis.stop() }]
    },
  })
}

function announce(ctx: AppContext, secretsFile: string | undefined, redis: RedisChoice): void {
  const { config } = ctx
  const lines = [
    `frontdesk is running (${config.FRONTDESK_ROLE}) on ${ctx.db.kind === 'pglite' ? `embedded PGlite in ${config.DATA_DIR}/pglite` : 'PostgreSQL'}`,
    `  redis:      ${redis.description}, key prefix ${config.REDIS_PREFIX}`,
  ]
  if (config.FRONTDESK_ROLE !== 'worker') {
    lines.push(`  server:     ${config.PUBLIC_BASE_URL}`)
    lines.push(`  admin page: ${config.PUBLIC_BASE_URL}/admin`)
    lines.push(`  readiness:  ${config.PUBLIC_BASE_URL}/readyz`)
  }
  if (secretsFile) lines.push(`  admin token and master key for this machine: ${secretsFile}`)
  console.log(lines.join('\n'))
}

main().catch((error) => {
  console.error('frontdesk failed to start:', error instanceof Error ? error.message : error)
  process.exit(1)
})
