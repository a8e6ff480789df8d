import type { AppContext } from '../context.ts'
import type { Processor } from '../jobs/workers.ts'
import { chatMessageSchema, type ChatMessage } from '../messages/chat-message.ts'
import { textReply, type Reply } from '../messages/reply.ts'
import { enqueueOutgoing } from '../outbox/outbox.ts'
import { INBOUND_ATTEMPTS } from './accept.ts'
import type { ChatHandler } from './handler.ts'

const apology = textReply('抱歉，处理这条消息时出错了，已记录，请稍后再试或联系管理员。')

/**
 * Runs the command for one accepted chat message and queues the reply. A message is handled once:
 * the event row's status is checked first, and the reply's idempotency key is tied to the event.
 */
export function inboundProcessor(ctx: AppContext, handle: ChatHandler): Processor<'inbound'> {
  return async (job) => {
    const lastTry = job.attemptsMade + 1 >= (job.opts.attempts ?? INBOUND_ATTEMPTS)
    // Events of one job arrived together; they run in order, and a retry skips those already handled.
    let failure: unknown = null
    for (const id of job.data.inboundEventIds) {
      try {
        await handleEvent(ctx, handle, id, lastTry)
      } catch (error) {
        failure ??= error
      }
    }
    if (failure) throw failure
    return 'processed'
  }
}

/** How long one worker holds an event; if it dies, the event is free again after this. */
const EVENT_LOCK_MS = 120_000

async function handleEvent(ctx: AppContext, handle: ChatHandler, id: string, lastTry: boolean): Promise<void> {
  // The batch job and a reconciliation job may both name the event: only one may run it.
  const lockKey = `${ctx.config.REDIS_PREFIX}:inbound-lock:${id}`
  if ((await ctx.redis.set(lockKey, '1', 'PX', EVENT_LOCK_MS, 'NX')) !== 'OK') return
  try {
    await runEvent(ctx, handle, id, lastTry)
  } finally {
    await ctx.redis.del(lockKey)
  }
}

async function runEvent(ctx: AppContext, handle: ChatHandler, id: string, lastTry: boolean): Promise<void> {
  const event = await ctx.prisma.inboundEvent.findUnique({ where: { id } })
  if (!event || event.status !== 'received') return
  const message = chatMessageSchema.parse(event.message)
  const group = await ctx.prisma.chatGroup.findUnique({ where: { platform_externalId: { platform: message.platform, externalId: message.chatId } } })
  const boundGroup = group && group.tenantId === event.tenantId ? group : null
  if (boundGroup) await ctx.prisma.chatGroup.update({ where: { id: boundGroup.id }, data: { lastInboundAt: new Date() } })

  let reply: Reply | null
  try {
    reply = await handle(ctx, { tenantId: event.tenantId, message, group: boundGroup })
  } catch (error) {
    ctx.log.error({ inboundEventId: event.id, err: (error as Error).message, lastTry }, 'command failed')
    if (!lastTry) throw error
    await ctx.prisma.inboundEvent.update({ where: { id: event.id }, data: { status: 'failed', error: (error as Error).message } })
    await sendReply(ctx, event.tenantId, event.id, message, boundGroup?.id ?? null, apology)
    return
  }
  if (reply) await sendReply(ctx, event.tenantId, event.id, message, boundGroup?.id ?? null, reply)
  await ctx.prisma.inboundEvent.update({ where: { id: event.id }, data: { status: 'processed', processedAt: new Date() } })
}

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
