import type { AppContext } from '../../context.ts'
import type { PlatformSender } from '../../outbox/senders.ts'
import { unsealCredentials } from '../connections.ts'
import { PlatformError } from '../errors.ts'
import { createLarkClient } from './api.ts'
import { renderLarkMessage } from './render.ts'

/** Lark allows 5 messages a second per group, shared by every bot in it (platforms.md §3.9). */
const PER_CHAT = { max: 5, windowMs: 1000 }

/**
 * Sends through the app's OpenAPI: a reply goes into the thread of the command message, a push to
 * the chat. Each part carries a uuid derived from the row, so a retry after a partial success
 * never posts a part twice (Lark dedupes a uuid for an hour).
 */
export function larkSender(ctx: AppContext): PlatformSender {
  return {
    limitFor: ({ message }) => ({ bucket: `lark:${message.destination}`, limit: PER_CHAT }),
    async deliver({ message, reply, connection }) {
      if (!connection) throw new PlatformError('no Lark connection for this message', { platform: 'lark', kind: 'permanent' })
      const credentials = unsealCredentials(ctx, connection, 'lark')
      const client = createLarkClient({ baseUrl: ctx.config.LARK_API_BASE_URL, appId: credentials.appId, appSecret: credentials.appSecret })
      const parts = renderLarkMessage(reply)
      for (const [index, part] of parts.entries()) {
        const uuid = `${message.id}-${index}`
        if (message.replyToMessageId) await client.replyToMessage(message.replyToMessageId, part, uuid)
        else await client.sendToChat(message.destination, part, uuid)
      }
    },
  }
}
