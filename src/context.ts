import { Redis } from 'ioredis'
import type { Logger } from 'pino'
import { pino } from 'pino'
import { decodeMasterKey, type Config } from './config.ts'
import type { Clock } from './clock.ts'
import { createSecretBox, type SecretBox } from './crypto/secrets.ts'
import type { Database, PrismaClient } from './db/database.ts'
import { closeQueues, createQueues, type Queues } from './jobs/queues.ts'
import { loggerOptions } from './logger.ts'

/** What every part of frontdesk shares: built once per process (or per test file). */
export interface AppContext {
  config: Config
  db: Database
  prisma: PrismaClient
  /** Producer connection: enqueueing, dedupe keys, rate-limit state. */
  redis: Redis
  redisUrl: string
  queues: Queues
  clock: Clock
  secrets: SecretBox
  log: Logger
  close(): Promise<void>
}

export interface ContextOptions {
  config: Config
  db: Database
  redisUrl: string
  clock: Clock
  log?: Logger
}

export function createContext(options: ContextOptions): AppContext {
  const { config, db, redisUrl, clock } = options
  const masterKey = config.MASTER_KEY ? decodeMasterKey(config.MASTER_KEY) : null
  if (!masterKey) throw new Error('MASTER_KEY is required (withLocalSecrets provides one outside production)')
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null })
  redis.on('error', () => {}) // reported by /readyz and by the calls that fail
  // Producers fail fast while Redis is away instead of waiting in ioredis's offline queue (BullMQ's
  // production guide): the rows are stored, and reconciliation queues them once Redis is back.
  const queues = createQueues({ connection: { url: redisUrl, maxRetriesPerRequest: null, enableOfflineQueue: false }, prefix: config.REDIS_PREFIX })
  const log = options.log ?? pino(loggerOptions(config) as object)
  return {
    config,
    db,
    prisma: db.prisma,
    redis,
    redisUrl,
    queues,
    clock,
    secrets: createSecretBox(masterKey),
    log,
    async close() {
      await closeQueues(queues)
      redis.disconnect()
      await db.close()
    },
  }
}
