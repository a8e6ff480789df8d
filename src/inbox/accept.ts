import type { AppContext } from '../context.ts'
import { isDatabaseUnavailable, ServiceUnavailable } from '../errors.ts'
import type { Platform } from '../generated/prisma/enums.ts'
import type { ChatMessage } from '../messages/chat-message.ts'
import { createBatcher } from './batcher.ts'
import { cleanForStorage } from './clean.ts'
import { createRequeuer } from './requeuer.ts'

export interface InboundDelivery {
  tenantId: string
  platform: Platform
  connectionId: string | null
  /** Platform-unique key (Lark event_id, WeCom msgid): a redelivery carries the same one. */
  dedupeKey: string
  message: ChatMessage
}

export type AcceptResult = 'accepted' | 'duplicate'

export const INBOUND_ATTEMPTS = 3
export const inboundJobOptions = { attempts: INBOUND_ATTEMPTS, backoff: { type: 'exponential', delay: 1000 } }

/** Past this the platform is about to give up on us (Lark waits 3 s): say 503 and let it retry. */
const STORE_TIMEOUT_MS = 2000
/** The row is the truth; a queue that does not answer at once is left to catch up later. */
const QUEUE_TIMEOUT_MS = 500

/**
 * Ack fast: the event is stored under the platform's event id (durable, so it outlives the
 * platforms' retry ladders, restarts and Redis flushes) and queued; the command runs in a worker.
 * Concurrent deliveries share one INSERT and one queue round trip (group commit).
 *
 * The stored row decides the answer: stored → accepted, even when Redis cannot take the job
 * (it is queued as soon as Redis answers again); database unreachable → ServiceUnavailable (503),
 * nothing stored, and the platform's retry delivers it again.
 */
export async function acceptInbound(ctx: AppContext, delivery: InboundDelivery): Promise<AcceptResult> {
  const clean = { ...delivery, message: cleanForStorage(delivery.message, delivery.dedupeKey) }
  const result = await acceptorOf(ctx)(clean)
  if (result instanceof Error) throw result
  return result
}

type Acceptor = (delivery: InboundDelivery) => Promise<AcceptResult | Error>
const acceptors = new WeakMap<AppContext, Acceptor>()

function acceptorOf(ctx: AppContext): Acceptor {
  let accept = acceptors.get(ctx)
  if (!accept) {
    const requeue = createRequeuer(ctx, (ids) => queueBatch(ctx, ids))
    accept = createBatcher((batch: InboundDelivery[]) => storeAndQueue(ctx, batch, requeue), { maxItems: 500, maxInFlight: 2 })
    acceptors.set(ctx, accept)
  }
  return accept
}

async function storeAndQueue(ctx: AppContext, batch: InboundDelivery[], requeueLater: (ids: string[]) => void): Promise<(AcceptResult | Error)[]> {
  let stored: StoredBatch
  try {
    stored = await withTimeout(insertEvents(ctx, batch), STORE_TIMEOUT_MS)
  } catch (error) {
    if (isUnavailable(error)) return batch.map(() => unavailable(ctx, error))
    // One bad row must not fail the deliveries it happened to share a statement with.
    if (batch.length === 1) return [error as Error]
    return Promise.all(batch.map(async (delivery) => (await storeAndQueue(ctx, [delivery], requeueLater))[0]))
  }
  // One job for what was stored together: a queue job costs more than a row, and the rows are the truth.
  const ids = stored.inserted.map((row) => row.id)
  if (ids.length) {
    await withTimeout(queueBatch(ctx, ids), QUEUE_TIMEOUT_MS).catch((error) => {
      ctx.log.warn({ events: ids.length, err: (error as Error).message }, 'could not queue inbound events; they are stored and will be queued when Redis answers')
      requeueLater(ids)
    })
  }
  return stored.results
}

interface StoredBatch {
  inserted: { id: string }[]
  results: AcceptResult[]
}

async function insertEvents(ctx: AppContext, batch: InboundDelivery[]): Promise<StoredBatch> {
  const values: unknown[] = []
  const tuples = batch.map((d, i) => {
    values.push(d.tenantId, d.connectionId, d.platform, d.dedupeKey, JSON.stringify(d.message))
    const p = i * 5
    return `(gen_random_uuid(), $${p + 1}, $${p + 2}, $${p + 3}::"Platform", $${p + 4}, $${p + 5}::jsonb)`
  })
  // A duplicate (redelivery, or twice in this batch) inserts nothing and returns no row.
  const inserted = await ctx.db.sql.query<{ id: string; platform: string; dedupeKey: string }>(
    `INSERT INTO "InboundEvent" (id, "tenantId", "connectionId", platform, "dedupeKey", message)
     VALUES ${tuples.join(', ')}
     ON CONFLICT (platform, "dedupeKey") DO NOTHING RETURNING id, platform, "dedupeKey"`,
    values,
  )
  const idByKey = new Map(inserted.map((row) => [`${row.platform}:${row.dedupeKey}`, row.id]))
  const results = batch.map((d): AcceptResult => {
    const key = `${d.platform}:${d.dedupeKey}`
    if (!idByKey.has(key)) return 'duplicate'
    idByKey.delete(key) // the same key twice in one batch: only the first is new
    return 'accepted'
  })
  return { inserted, results }
}

function queueBatch(ctx: AppContext, ids: string[]): Promise<unknown> {
  return ctx.queues.inbound.add('handle', { inboundEventIds: ids }, { ...inboundJobOptions, jobId: `batch-${ids[0]}` })
}

function isUnavailable(error: unknown): boolean {
  return error instanceof TimeoutError || isDatabaseUnavailable(error)
}

function unavailable(ctx: AppContext, error: unknown): ServiceUnavailable {
  ctx.log.warn({ err: (error as Error).message }, 'database unavailable: inbound events refused for the platform to retry')
  return new ServiceUnavailable('the database is unavailable', 'the platform delivers the event again later')
}

class TimeoutError extends Error {}

/** Stops waiting (the work itself may still finish: a late row is found by the redelivery or reconciliation). */
function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`no answer within ${ms} ms`)), ms)
  })
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer))
}
