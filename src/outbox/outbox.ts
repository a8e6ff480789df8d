import type { AppContext } from '../context.ts'
import { Prisma, type PrismaClient } from '../generated/prisma/client.ts'
import type { Platform } from '../generated/prisma/enums.ts'
import type { Reply } from '../messages/reply.ts'
import type { QueuePayloads } from '../jobs/queues.ts'
import type { JobEntry } from '../jobs/requeue.ts'

/** Retries for network errors and 5xx: 1 s, 2 s, 4 s … about 17 minutes in all, then a dead letter. */
export const OUTBOUND_ATTEMPTS = 10
export const OUTBOUND_BACKOFF_MS = 1000

export interface OutgoingDraft {
  tenantId: string
  platform: Platform
  connectionId: string | null
  groupId: string | null
  /** Chat id, console group id, or a WeCom response_url for a reply. */
  destination: string
  /** Platform message to reply to in its thread (Lark). */
  replyToMessageId?: string
  reply: Reply
  /** Same key, same message: a producer that runs twice never sends twice. */
  idempotencyKey: string
}

/** The client or a transaction: a message can be stored together with what caused it. */
export type Db = Pick<PrismaClient, 'outgoingMessage'>

/**
 * Every outgoing message is a row first and a queue job second (job id = row id), so a Redis
 * flush loses nothing: the reconciler re-queues pending rows whose job is gone.
 */
export async function enqueueOutgoing(ctx: AppContext, draft: OutgoingDraft): Promise<string> {
  const row = await storeOutgoing(ctx.prisma, draft)
  await queueStored(ctx, row)
  return row.id
}

/** Queues the job of a stored row that still waits for delivery. */
export async function queueStored(ctx: AppContext, row: StoredOutgoing): Promise<void> {
  if (row.status === 'pending') await addOutboundJob(ctx, row.id).catch((error) => deferToReconciliation(ctx, row.id, error))
}

export interface StoredOutgoing {
  id: string
  status: string
  idempotencyKey: string
}

/** The row alone (idempotent by key); its job follows after commit, or from reconciliation. */
export async function storeOutgoing(db: Db, draft: OutgoingDraft): Promise<StoredOutgoing> {
  return (await storeOutgoingMany(db, [draft]))[0]
}

/**
 * The rows of several drafts in one INSERT … ON CONFLICT DO NOTHING (a Prisma upsert is a
 * transaction of four statements per row); only keys stored before (a retry) are read back.
 * Returned in the order of the drafts.
 */
export async function storeOutgoingMany(db: Db, drafts: OutgoingDraft[]): Promise<StoredOutgoing[]> {
  if (!drafts.length) return []
  const select = { id: true, status: true, idempotencyKey: true } as const
  const created = await db.outgoingMessage.createManyAndReturn({
    data: drafts.map((draft) => ({
      tenantId: draft.tenantId,
      platform: draft.platform,
      connectionId: draft.connectionId,
      groupId: draft.groupId,
      destination: draft.destination,
      replyToMessageId: draft.replyToMessageId,
      payload: draft.reply as unknown as Prisma.InputJsonValue,
      idempotencyKey: draft.idempotencyKey,
    })),
    skipDuplicates: true,
    select,
  })
  const byKey = new Map<string, StoredOutgoing>(created.map((row) => [row.idempotencyKey, row]))
  const missing = drafts.map((d) => d.idempotencyKey).filter((key) => !byKey.has(key))
  if (missing.length) {
    for (const row of await db.outgoingMessage.findMany({ where: { idempotencyKey: { in: missing } }, select })) byKey.set(row.idempotencyKey, row)
  }
  return drafts.map((draft) => {
    const row = byKey.get(draft.idempotencyKey)
    if (!row) throw new Error(`outgoing message ${draft.idempotencyKey} was neither stored nor found`)
    return row
  })
}

export async function addOutboundJob(ctx: AppContext, outgoingMessageId: string): Promise<void> {
  const { id, data, opts } = outboundJob(outgoingMessageId)
  await ctx.queues.outbound.add('deliver', data, { ...opts, jobId: id })
}

/** The job of one row: its id is the row's id, so a row has one live job. */
export function outboundJob(outgoingMessageId: string): JobEntry<QueuePayloads['outbound']> {
  return { id: outgoingMessageId, data: { outgoingMessageId }, opts: { attempts: OUTBOUND_ATTEMPTS, backoff: { type: 'exponential', delay: OUTBOUND_BACKOFF_MS } } }
}

/**
 * The row is stored, so the message is not lost when Redis cannot take the job right now: the
 * reconciler queues every pending row within seconds. Failing here instead would make the caller
 * retry work that has already been committed (a command would run twice).
 */
function deferToReconciliation(ctx: AppContext, outgoingMessageId: string, error: unknown): void {
  ctx.log.warn({ outgoingMessageId, err: (error as Error).message }, 'could not queue a message; reconciliation will')
}
