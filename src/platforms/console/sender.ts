import type { AppContext } from '../../context.ts'
import type { PlatformSender } from '../../outbox/senders.ts'
import { renderConsoleText } from './render.ts'

/** Console "delivery": the row itself is the message; readers are told over Redis pub/sub. */
export function consoleSender(ctx: AppContext): PlatformSender {
  return {
    limitFor: () => null,
    async deliver({ message, reply }) {
      await ctx.redis.publish(
        consoleChannel(ctx, message.destination),
        JSON.stringify({ id: message.id, replyTo: message.replyToMessageId ?? undefined, text: renderConsoleText(reply), at: new Date().toISOString() }),
      )
    },
  }
}

export function consoleChannel(ctx: AppContext, groupId: string): string {
  return `${ctx.config.REDIS_PREFIX}:console:${groupId}`
}
