import type { AppContext } from '../context.ts'
import type { Platform } from '../generated/prisma/enums.ts'
import type { ChatMessage } from '../messages/chat-message.ts'
import { createBatcher } from './batcher.ts'

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
const inboundJobOptions = { attempts: INBOUND_ATTEMPTS, backoff: { type: 'exponential', delay: 1000 } }

/**
 * Ack fast: the event is stored under the platform's event id (durable, so it outlives the
 * platforms' retry ladders, restarts and Redis flushes) and queued; the command runs in a worker.
 * Concurrent deliveries share one INSERT and one queue round trip (group commit).
 */
export function acceptInbound(ctx: AppContext, delivery: InboundDelivery): Promise<AcceptResult> {
  let accept = acceptors.get(ctx)
  if (!accept) {
    accept = createBatcher((batch: InboundDelivery[]) => storeAndQueue(ctx, batch), { maxItems: 500, maxInFlight: 2 })
    acceptors.set(ctx, accept)
  }
  return accept(delivery)
}

const acceptors = new WeakMap<AppContext, (delivery: InboundDelivery) => Promise<AcceptResult>>()

async function storeAndQueue(ctx: AppContext, batch: InboundDelivery[]): Promise<AcceptResult[]> {
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
  // One job for what was stored together: a queue job costs more than a row, and the rows are the truth.
  if (inserted.length) {
    await ctx.queues.inbound.add('handle', { inboundEventIds: inserted.map((row) => row.id) }, { ...inboundJobOptions, jobId: `batch-${inserted[0].id}` })
  }
  return batch.map((d) => {
    const key = `${d.platform}:${d.dedupeKey}`
    if (!idByKey.has(key)) return 'duplicate'
    idByKey.delete(key) // the same key twice in one batch: only the first is new
    return 'accepted'
  })
}

/** Re-queues one stored event (reconciliation). Should its batch job still run it too, the event lock makes one of them skip it. */
export async function addInboundJob(ctx: AppContext, inboundEventId: string): Promise<void> {
  await ctx.queues.inbound.add('handle', { inboundEventIds: [inboundEventId] }, { ...inboundJobOptions, jobId: inboundEventId })
}
