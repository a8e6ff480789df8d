import type { AppContext } from '../../context.ts'
import type { Reply } from '../../messages/reply.ts'
import type { PlatformSender } from '../../outbox/senders.ts'
import { consoleImageUrl, renderConsoleText } from './render.ts'

/** Console "delivery": the row itself is the message; readers are told over Redis pub/sub. */
export function consoleSender(ctx: AppContext): PlatformSender {
  return {
    limitFor: () => null,
    async deliver({ message, reply }) {
      await ctx.redis.publish(
        consoleChannel(ctx, message.destination),
        JSON.stringify({ id: message.id, replyTo: message.replyToMessageId ?? undefined, text: renderConsoleText(reply, consoleImageOf(ctx, message.destination, reply)), at: new Date().toISOString() }),
      )
    },
  }
}

export function consoleChannel(ctx: AppContext, groupId: string): string {
  return `${ctx.config.REDIS_PREFIX}:console:${groupId}`
}

/** The picture's URL for a console group's message (the destination of a console row is the group id). */
export function consoleImageOf(ctx: AppContext, groupId: string, reply: Reply): { imageUrl?: string } {
  return reply.image ? { imageUrl: consoleImageUrl(ctx.config.PUBLIC_BASE_URL, groupId, reply.image.id) } : {}
}
