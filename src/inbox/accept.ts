import type { AppContext } from '../context.ts'
import { isDatabaseUnavailable, ServiceUnavailable } from '../errors.ts'
import type { Platform } from '../generated/prisma/enums.ts'
import type { ChatMessage } from '../messages/chat-message.ts'
import { createBatcher } from '../batcher.ts'
import { cleanForStorage, wellFormed } from './clean.ts'
import { createRequeuer } from './requeuer.ts'

export interface InboundDelivery {
  tenantId: string
  platform: Platform
  connectionId: string | null
  /** Platform-unique key (Lark event_id, WeCom msgid): a redelivery carries the same one. */
  dedupeKey: string
  message: ChatMessage
  /**
   * The connection row the delivery was verified with (perhaps from memory). When given, the event
   * is stored only if the row is still enabled with these sealed credentials and bot id, checked
   * in the same INSERT; otherwise acceptInbound throws ConnectionChanged and stores nothing.
   */
  verifiedConnection?: { credentials: string; botUserId: string | null }
}

/** The connection was disabled or changed since the delivery was verified against it: nothing was stored. */
export class ConnectionChanged extends Error {}

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
  const result = await acceptorOf(ctx)({ delivery, message: storableJson(delivery) })
  if (result instanceof Error) throw result
  return result
}

/**
 * The message as the jsonb it is stored as. JSON.stringify writes a NUL as \u0000 and a lone
 * surrogate as \udXXX, so a message without either escape is stored as serialised; only the rest
 * (and a false alarm like a typed "\u0000") goes through the cleaning walk.
 */
function storableJson(delivery: InboundDelivery): string {
  const json = JSON.stringify(delivery.message)
  // JSON.stringify escapes a lone surrogate as \udXXX in lowercase: two plain scans find both.
  if (!json.includes('\\u0000') && !json.includes('\\ud') && !delivery.dedupeKey.includes('\u0000')) return json
  return JSON.stringify(cleanForStorage(delivery.message, delivery.dedupeKey))
}

/** A delivery and its message already serialised for the INSERT. */
interface Pending {
  delivery: InboundDelivery
  message: string
}

/**
 * Two batches start as soon as deliveries wait (the latency of a lone delivery). Under load, with
 * only those two, deliveries queued behind batches waiting on PostgreSQL and Redis while the process
 * had time to spare; so more may be in flight, but one beyond the two starts only with enough rows
 * to be worth a statement and a job of its own: a batch costs PostgreSQL about a millisecond
 * whatever its size, a row a small part of that.
 */
const BATCHING = { maxItems: 500, maxInFlight: 8, eagerFlushes: 2, minItemsWhileBusy: 16 }

type Acceptor = (item: Pending) => Promise<AcceptResult | Error>
const acceptors = new WeakMap<AppContext, Acceptor>()

function acceptorOf(ctx: AppContext): Acceptor {
  let accept = acceptors.get(ctx)
  if (!accept) {
    const requeue = createRequeuer(ctx, (ids) => queueBatch(ctx, ids))
    accept = createBatcher((batch: Pending[]) => storeAndQueue(ctx, batch, requeue), BATCHING)
    acceptors.set(ctx, accept)
  }
  return accept
}

async function storeAndQueue(ctx: AppContext, batch: Pending[], requeueLater: (ids: string[]) => void): Promise<(AcceptResult | Error)[]> {
  let stored: StoredBatch
  try {
    stored = await withTimeout(insertEvents(ctx, batch), STORE_TIMEOUT_MS)
  } catch (error) {
    if (isUnavailable(error)) return batch.map(() => unavailable(ctx, error))
    // One bad row must not fail the deliveries it happened to share a statement with.
    if (batch.length === 1) return [error as Error]
    return Promise.all(batch.map(async (item) => (await storeAndQueue(ctx, [item], requeueLater))[0]))
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
  results: (AcceptResult | ConnectionChanged)[]
}

type Row = { id: string; dedupeKey: string | null; live: boolean }

/**
 * One statement: the connection check, the dedupe (a redelivery, or twice in this batch, inserts
 * nothing and returns no row) and the insert, then the rows stored and the connections still
 * current. Its text never changes, whatever the batch holds (the batch is one jsonb array, the
 * verified connections another), so each connection prepares and plans it once: planning the
 * statement per batch cost PostgreSQL about as much as inserting the rows.
 */
const INSERT_EVENTS = `
  WITH incoming AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS i ("tenantId" text, "connectionId" text, platform "Platform", "dedupeKey" text, message jsonb, checked boolean)),
  live AS (
    SELECT c.id FROM "PlatformConnection" c JOIN jsonb_to_recordset($2::jsonb) AS seen (id text, credentials text, "botUserId" text)
      ON c.id = seen.id AND c.enabled AND c.credentials = seen.credentials AND c."botUserId" IS NOT DISTINCT FROM seen."botUserId"),
  inserted AS (
    INSERT INTO "InboundEvent" (id, "tenantId", "connectionId", platform, "dedupeKey", message)
    SELECT gen_random_uuid()::text, "tenantId", "connectionId", platform, "dedupeKey", message FROM incoming
    WHERE NOT checked OR "connectionId" IN (SELECT id FROM live)
    ON CONFLICT (platform, "dedupeKey") DO NOTHING RETURNING id, platform, "dedupeKey")
  SELECT id, platform::text || ':' || "dedupeKey" AS "dedupeKey", false AS live FROM inserted
  UNION ALL SELECT id, NULL, true FROM live`

/**
 * A string as a JSON string PostgreSQL's jsonb takes: a lone surrogate becomes U+FFFD, as the
 * UTF-8 encoding of a text parameter makes it (jsonb refuses the \udXXX escape JSON.stringify
 * writes for one). NULs are refused before this (storableJson).
 */
function jsonText(value: string | null): string {
  if (value === null) return 'null'
  const json = JSON.stringify(value)
  return json.includes('\\ud') ? JSON.stringify(wellFormed(value)) : json
}

async function insertEvents(ctx: AppContext, batch: Pending[]): Promise<StoredBatch> {
  // The message is already serialised: the rows are written around it rather than re-serialised.
  const incoming = batch.map(({ delivery: d, message }) => {
    const checked = d.verifiedConnection !== undefined && d.connectionId !== null
    return `{"tenantId":${jsonText(d.tenantId)},"connectionId":${jsonText(d.connectionId)},"platform":${jsonText(d.platform)},"dedupeKey":${jsonText(d.dedupeKey)},"message":${message},"checked":${checked}}`
  })
  // Each verified connection once, however many of its deliveries share the batch.
  const verified = new Map<string, NonNullable<InboundDelivery['verifiedConnection']>>()
  for (const { delivery: d } of batch) if (d.verifiedConnection && d.connectionId) verified.set(d.connectionId, d.verifiedConnection)
  const seen = [...verified].map(([id, c]) => ({ id, credentials: c.credentials, botUserId: c.botUserId }))
  const rows = await ctx.db.sql.query<Row>(INSERT_EVENTS, [`[${incoming.join(',')}]`, JSON.stringify(seen)], { name: 'insert-inbound-events' })
  const inserted = rows.filter((row) => !row.live)
  const liveIds = new Set(rows.filter((row) => row.live).map((row) => row.id))
  const idByKey = new Map(inserted.map((row) => [row.dedupeKey, row.id]))
  const results = batch.map(({ delivery: d }): AcceptResult | ConnectionChanged => {
    if (d.verifiedConnection && d.connectionId && !liveIds.has(d.connectionId)) return new ConnectionChanged('the connection was disabled or changed')
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
