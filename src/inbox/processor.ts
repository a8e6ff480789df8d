import type { AppContext } from '../context.ts'
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
  if (!event || event.status === 'failed') return
  const message = chatMessageSchema.parse(event.message)
  const group = await ctx.prisma.chatGroup.findUnique({ where: { platform_externalId: { platform: message.platform, externalId: message.chatId } } })
  const boundGroup = group && group.tenantId === event.tenantId ? group : null
  const groupId = boundGroup?.id ?? null
  if (event.status === 'processed') return replyIfLost(ctx, event.tenantId, event.id, message, groupId)
  if (boundGroup) await ctx.prisma.chatGroup.update({ where: { id: boundGroup.id }, data: { lastInboundAt: new Date() } })

  let reply: Reply | null
  try {
    const hooks = { before: markHandled(event.id), after: storeCausedMessages(groupId) }
    reply = await withinCommand(hooks, () => handle(ctx, { tenantId: event.tenantId, message, group: boundGroup }))
  } catch (error) {
    if (error instanceof AlreadyHandled) return
    ctx.log.error({ inboundEventId: event.id, err: (error as Error).message, lastTry }, 'command failed')
    if (!lastTry) throw error
    await ctx.prisma.inboundEvent.update({ where: { id: event.id }, data: { status: 'failed', error: (error as Error).message } })
    await sendReply(ctx, event.tenantId, event.id, message, groupId, apology)
    return
  }
  if (reply) await sendReply(ctx, event.tenantId, event.id, message, groupId, reply)
  await ctx.prisma.inboundEvent.update({ where: { id: event.id }, data: { status: 'processed', processedAt: new Date() } })
}

/** Another run got to the event first (only possible once its lock has expired). */
class AlreadyHandled extends Error {}

/**
 * The command's write and "this message is handled" commit together, so a retry after a crash
 * between the write and the reply never runs the command a second time.
 */
function markHandled(eventId: string): NonNullable<CommandHooks['before']> {
  let claimed = false // a command makes one write; later ones in the same run need no claim
  return async (tx) => {
    if (claimed) return
    const { count } = await tx.inboundEvent.updateMany({ where: { id: eventId, status: 'received' }, data: { status: 'processed', processedAt: new Date() } })
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
