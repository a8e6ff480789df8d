import { DelayedError, type Job } from 'bullmq'
import type { AppContext } from '../context.ts'
import { isDatabaseUnavailable } from '../errors.ts'
import type { QueuePayloads } from '../jobs/queues.ts'
import type { Processor } from '../jobs/workers.ts'
import { chatMessageSchema, type ChatMessage } from '../messages/chat-message.ts'
import { textReply, type Reply } from '../messages/reply.ts'
import { queueStored, storeOutgoing, type OutgoingDraft, type StoredOutgoing } from '../outbox/outbox.ts'
import { withinCommand, type CommandHooks } from '../db/command-scope.ts'
import { fromJsonRow, type DateFields } from '../db/json-rows.ts'
import type { Effects } from '../domain/tickets.ts'
import { settingsVersionSql } from '../domain/tickets/rules.ts'
import type { ChatGroup, Member } from '../generated/prisma/client.ts'
import { exceptGroup, storeNotifications } from '../outbox/notify.ts'
import { INBOUND_ATTEMPTS } from './accept.ts'
import type { ChatHandler } from './handler.ts'

const apology = textReply('抱歉，处理这条消息时出错了，已记录，请稍后再试或联系管理员。')

/** While the database cannot be reached, a job waits this long and tries again, using no attempt. */
const DATABASE_RETRY_MS = 5000
/** An event this process is already running (its batch job and a reconciliation job both name it) is looked at again after this. */
const BUSY_RETRY_MS = 2000

/**
 * Runs the command for one accepted chat message and queues the reply. Only the event row says
 * whether a message was handled: the command's write flips it in the same transaction, and the
 * reply's idempotency key is tied to the event. A job never completes with an event left undone:
 * it retries later instead.
 */
export function inboundProcessor(ctx: AppContext, handle: ChatHandler): Processor<'inbound'> {
  const running = new Set<string>()
  return async (job) => {
    const lastTry = job.attemptsMade + 1 >= (job.opts.attempts ?? INBOUND_ATTEMPTS)
    // Events of one job arrived together; they run in order, and a retry skips those already handled.
    let failure: unknown = null
    let busy = false
    for (const id of job.data.inboundEventIds) {
      if (running.has(id)) {
        busy = true
        continue
      }
      running.add(id)
      try {
        await runEvent(ctx, handle, id, lastTry)
      } catch (error) {
        failure ??= error
      } finally {
        running.delete(id)
      }
    }
    if (failure && isDatabaseUnavailable(failure)) return retryLater(job, DATABASE_RETRY_MS)
    if (failure) throw failure
    if (busy) return retryLater(job, BUSY_RETRY_MS)
    return 'processed'
  }
}

async function retryLater(job: Job<QueuePayloads['inbound']>, delayMs: number): Promise<never> {
  await job.moveToDelayed(Date.now() + delayMs, job.token)
  throw new DelayedError()
}

/**
 * `processed` with no processedAt: the command's write committed but its reply may not be stored
 * yet (processedAt is set once it is). Reconciliation looks for exactly these after a crash.
 */
async function runEvent(ctx: AppContext, handle: ChatHandler, id: string, lastTry: boolean): Promise<void> {
  const started = Date.now()
  const event = await readEvent(ctx, id)
  if (!event || !event.open) return
  const message = chatMessageSchema.parse(event.message)
  const group = event.group ? fromJsonRow<ChatGroup>(event.group, groupDates) : null
  const groupId = group?.id ?? null
  if (event.status === 'processed') return replyIfLost(ctx, event.tenantId, event.id, message, groupId)

  let reply: Reply | null
  const hooks: CommandHooks = { before: markHandled(event.id), after: storeCausedMessages(groupId) }
  try {
    const sender = event.sender ? fromJsonRow<Member>(event.sender, memberDates) : null
    reply = await withinCommand(hooks, () => handle(ctx, { tenantId: event.tenantId, message, group, sender, tenantVersion: event.tenantVersion }))
  } catch (error) {
    // Another run handled it first; it replies (or reconciliation does, should it die).
    if (error instanceof AlreadyHandled) return
    ctx.log.error({ inboundEventId: event.id, err: (error as Error).message, lastTry }, 'command failed')
    if (!lastTry || isDatabaseUnavailable(error)) throw error
    const { count } = await ctx.prisma.inboundEvent.updateMany({ where: { id: event.id, status: 'received' }, data: { status: 'failed', error: (error as Error).message, processedAt: new Date() } })
    // Not 'received' any more: its write committed before the failure, so it is answered as handled.
    if (count) await replyAndFinish(ctx, event.tenantId, event.id, message, groupId, apology)
    else await replyIfLost(ctx, event.tenantId, event.id, message, groupId)
    return
  }
  if (reply) await replyAndFinish(ctx, event.tenantId, event.id, message, groupId, reply)
  else await finish(ctx, event.id)
  ctx.log.info({ inboundEventId: event.id, tenantId: event.tenantId, platform: message.platform, command: hooks.command ?? null, replied: reply !== null, durationMs: Date.now() - started }, 'command handled')
}

interface EventRow {
  id: string
  tenantId: string
  status: 'received' | 'processed' | 'failed'
  message: unknown
  /** Work is left: not failed, and not processed with its reply stored. */
  open: boolean
  /** The bound group the message came from (to_jsonb), or null. */
  group: Record<string, unknown> | null
  /** The sender's member row (to_jsonb), or null when the sender is not a member yet. */
  sender: Record<string, unknown> | null
  tenantVersion: string | null
}

const groupDates: Record<DateFields<ChatGroup>, true> = { lastInboundAt: true, lastOutboundAt: true, createdAt: true }
const memberDates: Record<DateFields<Member>, true> = { createdAt: true }

/**
 * What a command needs before it runs, in one statement: the event; while it has work left, the
 * group it came from if bound to the event's tenant, the sender's member row and
 * the tenant's settings version (the tenant row itself is kept per process while that holds).
 * Like the other statements of this hot path, it is prepared once per connection (named). The
 * group is noted as active to the minute, as deliveries note it: written on every message, its
 * row was a hot spot and the read a write, with a commit's WAL flush of its own.
 */
async function readEvent(ctx: AppContext, id: string): Promise<EventRow | undefined> {
  const [row] = await ctx.db.sql.query<EventRow>(
    `WITH event AS (
       SELECT id, "tenantId", status::text AS status, message, (message->>'platform')::"Platform" AS platform,
         NOT (status = 'failed' OR (status = 'processed' AND "processedAt" IS NOT NULL)) AS open
       FROM "InboundEvent" WHERE id = $1),
     bound AS (
       SELECT g.* FROM "ChatGroup" g, event e
       WHERE e.open AND g.platform = e.platform AND g."externalId" = e.message->>'chatId' AND g."tenantId" = e."tenantId"),
     touched AS (
       UPDATE "ChatGroup" g SET "lastInboundAt" = $2
       WHERE g.id IN (SELECT id FROM "ChatGroup" WHERE id = (SELECT id FROM bound)
         AND ("lastInboundAt" IS NULL OR "lastInboundAt" < $2::timestamptz - interval '1 minute') FOR UPDATE SKIP LOCKED))
     SELECT e.id, e."tenantId", e.status, e.message, e.open,
       (SELECT to_jsonb(bound) FROM bound) AS "group",
       (SELECT to_jsonb(m) FROM "Member" m
        WHERE e.open AND m."tenantId" = e."tenantId" AND m.platform = e.platform AND m."externalUserId" = e.message#>>'{sender,userId}') AS sender,
       (SELECT ${settingsVersionSql('t')} FROM "Tenant" t WHERE e.open AND t.id = e."tenantId") AS "tenantVersion"
     FROM event e`,
    [id, new Date()],
    { name: 'inbox-read-event' },
  )
  return row
}

/** Nothing is left to do for this event (a command that stays silent). */
async function finish(ctx: AppContext, eventId: string): Promise<void> {
  await ctx.db.sql.query(`UPDATE "InboundEvent" SET status = 'processed', "processedAt" = $2 WHERE id = $1 AND status IN ('received', 'processed') AND "processedAt" IS NULL`, [eventId, new Date()], { name: 'inbox-finish' })
}

/** Another run got to the event first. */
class AlreadyHandled extends Error {}

/**
 * The command's write and "this message is handled" commit together, so a retry after a crash
 * between the write and the reply never runs the command a second time.
 */
function markHandled(eventId: string): NonNullable<CommandHooks['before']> {
  let claimed = false // a command makes one write; later ones in the same run need no claim
  return async (tx) => {
    if (claimed) return
    const count = await tx.$executeRaw`UPDATE "InboundEvent" SET "status" = 'processed' WHERE "id" = ${eventId} AND "status" = 'received'`
    if (count === 0) throw new AlreadyHandled()
    claimed = true
  }
}

/** The group notifications a command causes exist exactly when its write does (queued after commit). */
function storeCausedMessages(groupId: string | null): NonNullable<CommandHooks['after']> {
  return async (tx, result) => {
    const notifications = (result as Partial<Effects> | null)?.notifications
    if (notifications?.length) await storeNotifications(tx, exceptGroup(notifications, groupId))
  }
}

/** A handled command whose reply never got queued (a crash in between) still gets an answer. */
async function replyIfLost(ctx: AppContext, tenantId: string, eventId: string, message: ChatMessage, groupId: string | null): Promise<void> {
  const replied = await ctx.prisma.outgoingMessage.findUnique({ where: { idempotencyKey: `reply:${eventId}` }, select: { id: true } })
  if (replied) return finish(ctx, eventId)
  const english = /^[\s/]*[a-z]/i.test(message.text)
  await replyAndFinish(ctx, tenantId, eventId, message, groupId, english ? lostReplyEn : lostReplyZh)
}

const lostReplyZh = textReply('您的指令已处理，但回复在发送前中断了。请发送「查 #单号」或「待办」查看结果。')
const lostReplyEn = textReply('Your command was carried out, but its reply was interrupted. Send "show #<number>" or "todo" to see the result.')

/** Replies where the message came from: in its thread (Lark), via its response_url (WeCom robot), or in the console group. */
function replyDraft(tenantId: string, eventId: string, message: ChatMessage, groupId: string | null, reply: Reply): OutgoingDraft {
  return {
    tenantId,
    platform: message.platform,
    connectionId: message.connectionId,
    groupId,
    destination: message.platform === 'console' ? (groupId ?? message.chatId) : (message.replyUrl ?? message.chatId),
    // Lark threads the reply under it; the console shows which message it answers.
    replyToMessageId: message.platform === 'wecom' ? undefined : message.messageId,
    reply,
    idempotencyKey: `reply:${eventId}`,
  }
}

/**
 * Stores the reply and marks the event done in one statement, so processedAt is never set without
 * the reply stored; then queues its delivery. A reply an earlier try stored is read back instead.
 */
async function replyAndFinish(ctx: AppContext, tenantId: string, eventId: string, message: ChatMessage, groupId: string | null, reply: Reply): Promise<void> {
  const draft = replyDraft(tenantId, eventId, message, groupId, reply)
  const now = new Date()
  const [stored] = await ctx.db.sql.query<StoredOutgoing>(
    `WITH stored AS (
       INSERT INTO "OutgoingMessage" (id, "tenantId", "connectionId", "groupId", platform, destination, "replyToMessageId", payload, "idempotencyKey", "updatedAt")
       VALUES (gen_random_uuid()::text, $1, $2, $3, $4::"Platform", $5, $6, $7::jsonb, $8, $9)
       ON CONFLICT ("idempotencyKey") DO NOTHING
       RETURNING id, status::text AS status, "idempotencyKey"),
     finished AS (
       UPDATE "InboundEvent" SET status = 'processed', "processedAt" = $9
       WHERE id = $10 AND status IN ('received', 'processed') AND "processedAt" IS NULL)
     SELECT id, status, "idempotencyKey" FROM stored`,
    [draft.tenantId, draft.connectionId, draft.groupId, draft.platform, draft.destination, draft.replyToMessageId ?? null, JSON.stringify(draft.reply), draft.idempotencyKey, now, eventId],
    { name: 'inbox-reply-and-finish' },
  )
  await queueStored(ctx, stored ?? (await storeOutgoing(ctx.prisma, draft)))
}
