import { randomBytes } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { pino } from 'pino'
import { afterAll } from 'vitest'
import { buildApp } from '../../src/app.ts'
import { ManualClock } from '../../src/clock.ts'
import { loadConfig, type Config } from '../../src/config.ts'
import { createContext, type AppContext } from '../../src/context.ts'
import { openDatabase } from '../../src/db/database.ts'
import { migrateOnStart } from '../../src/db/migrate-on-start.ts'
import { createSchema, deleteRedisPrefix, dropSchema, testDatabaseUrl, testRedisUrl, uniqueName } from './services.ts'

export interface TestEnv {
  ctx: AppContext
  app: FastifyInstance
  clock: ManualClock
  schema: string
  prefix: string
  config: Config
}

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789'

/**
 * One isolated frontdesk per test file, on the real PostgreSQL and Redis: a fresh schema and a
 * fresh Redis key prefix, both removed after the file. Call at the top level of a test file.
 */
export async function setupTestEnv(overrides: Record<string, string> = {}, options: { database?: 'postgres' | 'pglite' } = {}): Promise<TestEnv> {
  const schema = uniqueName('t')
  const prefix = uniqueName('fdtest')
  const pglite = options.database === 'pglite'
  if (!pglite) await createSchema(schema)
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: testDatabaseUrl,
    REDIS_URL: testRedisUrl,
    REDIS_PREFIX: prefix,
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    MASTER_KEY: randomBytes(32).toString('hex'),
    PUBLIC_BASE_URL: 'https://frontdesk.example.com',
    LOG_LEVEL: 'silent',
    DEMO_SEED: 'false',
    ...overrides,
  })
  // PGlite is the embedded default: an in-memory one per file, gone with the process.
  const db = pglite ? await openDatabase({ dataDir: 'memory://' }) : await openDatabase({ url: testDatabaseUrl, schema })
  await migrateOnStart(db)
  const clock = new ManualClock(new Date('2026-11-23T02:00:00Z'))
  const ctx = createContext({ config, db, redisUrl: testRedisUrl, clock, log: pino({ level: 'silent' }) })
  const app = await buildApp(ctx, { logger: false })
  await app.ready()

  afterAll(async () => {
    await app.close()
    await ctx.close()
    if (!pglite) await dropSchema(schema)
    await deleteRedisPrefix(prefix)
  })
  return { ctx, app, clock, schema, prefix, config }
}
