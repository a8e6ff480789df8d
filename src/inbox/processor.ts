import { DelayedError, type Job } from 'bullmq'
import type { AppContext } from '../context.ts'
import { isDatabaseUnavailable } from '../errors.ts'
import type { QueuePayloads } from '../jobs/queues.ts'
import type { Processor } from '../jobs/workers.ts'
import { chatMessageSchema, type ChatMessage } from '../messages/chat-message.ts'
import { textReply, type Reply } from '../messages/reply.ts'
import { enqueueOutgoing } from '../outbox/outbox.ts'
import { withinCommand, type CommandHooks } from '../db/command-scope.ts'
import type { Effects } from '../domain/tickets.ts'
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
  const event = await ctx.prisma.inboundEvent.findUnique({ where: { id } })
  if (!event || event.status === 'failed' || (event.status === 'processed' && event.processedAt)) return
  const message = chatMessageSchema.parse(event.message)
  // The group the message came from, if it is bound to the event's tenant, noted as active in the same statement.
  const [boundGroup = null] = await ctx.prisma.chatGroup.updateManyAndReturn({
    where: { platform: message.platform, externalId: message.chatId, tenantId: event.tenantId },
    data: { lastInboundAt: new Date() },
  })
  const groupId = boundGroup?.id ?? null
  if (event.status === 'processed') {
    await replyIfLost(ctx, event.tenantId, event.id, message, groupId)
    return finish(ctx, event.id)
  }

  let reply: Reply | null
  const hooks: CommandHooks = { before: markHandled(event.id), after: storeCausedMessages(groupId) }
  try {
    reply = await withinCommand(hooks, () => handle(ctx, { tenantId: event.tenantId, message, group: boundGroup }))
  } catch (error) {
    // Another run handled it first; it replies (or reconciliation does, should it die).
    if (error instanceof AlreadyHandled) return
    ctx.log.error({ inboundEventId: event.id, err: (error as Error).message, lastTry }, 'command failed')
    if (!lastTry || isDatabaseUnavailable(error)) throw error
    const { count } = await ctx.prisma.inboundEvent.updateMany({ where: { id: event.id, status: 'received' }, data: { status: 'failed', error: (error as Error).message, processedAt: new Date() } })
    // Not 'received' any more: its write committed before the failure, so it is answered as handled.
    if (count) await sendReply(ctx, event.tenantId, event.id, message, groupId, apology)
    else await replyIfLost(ctx, event.tenantId, event.id, message, groupId)
    return finish(ctx, event.id)
  }
  if (reply) await sendReply(ctx, event.tenantId, event.id, message, groupId, reply)
  await finish(ctx, event.id)
  ctx.log.info({ inboundEventId: event.id, tenantId: event.tenantId, platform: message.platform, command: hooks.command ?? null, replied: reply !== null, durationMs: Date.now() - started }, 'command handled')
}

/** The reply (if any) is stored: nothing is left to do for this event. */
async function finish(ctx: AppContext, eventId: string): Promise<void> {
  await ctx.prisma.inboundEvent.updateMany({ where: { id: eventId, status: { in: ['received', 'processed'] }, processedAt: null }, data: { status: 'processed', processedAt: new Date() } })
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
    const { count } = await tx.inboundEvent.updateMany({ where: { id: eventId, status: 'received' }, data: { status: 'processed' } })
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
  if (replied) return
  const english = /^[\s/]*[a-z]/i.test(message.text)
  await sendReply(ctx, tenantId, eventId, message, groupId, english ? lostReplyEn : lostReplyZh)
}

const lostReplyZh = textReply('您的指令已处理，但回复在发送前中断了。请发送「查 #单号」或「待办」查看结果。')
const lostReplyEn = textReply('Your command was carried out, but its reply was interrupted. Send "show #<number>" or "todo" to see the result.')

/** Replies where the message came from: in its thread (Lark), via its response_url (WeCom robot), or in the console group. */
async function sendReply(ctx: AppContext, tenantId: string, eventId: string, message: ChatMessage, groupId: string | null, reply: Reply) {
  const destination = message.platform === 'console' ? (groupId ?? message.chatId) : (message.replyUrl ?? message.chatId)
  await enqueueOutgoing(ctx, {
    tenantId,
    platform: message.platform,
    connectionId: message.connectionId,
    groupId,
    destination,
    // Lark threads the reply under it; the console shows which message it answers.
    replyToMessageId: message.platform === 'wecom' ? undefined : message.messageId,
    reply,
    idempotencyKey: `reply:${eventId}`,
  })
}
