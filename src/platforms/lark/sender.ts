import type { AppContext } from '../../context.ts'
import { REPORT_IMAGE_FILE_NAME, reportImagePng, uploadedOnce } from '../../domain/reports/images.ts'
import type { PlatformSender } from '../../outbox/senders.ts'
import { unsealCredentials } from '../connections.ts'
import { PlatformError } from '../errors.ts'
import { createLarkClient, type LarkClient } from './api.ts'
import { renderLarkMessage } from './render.ts'

/** Lark allows 5 messages a second per group, shared by every bot in it (platforms.md §3.9). */
const PER_CHAT = { max: 5, windowMs: 1000 }
/**
 * And 50 a second and 1,000 a minute per app over all its chats (§3.9). Lark counts arrivals, we
 * count slots taken a moment before the send: the budgets keep a margin (40 per 1.5 s) so that a
 * busy worker's delay between the two never tips a second over Lark's limit.
 */
const PER_APP_SECOND = { max: 40, windowMs: 1_500 }
const PER_APP_MINUTE = { max: 1_000, windowMs: 61_000 }

/** Lark keeps an uploaded image_key; a week of reuse keeps uploads to one per chart and app. */
const IMAGE_KEY_TTL_SECONDS = 7 * 24 * 3600

/**
 * Sends through the app's OpenAPI: a reply goes into the thread of the command message, a push to
 * the chat. Each part carries a uuid derived from the row, so a retry after a partial success
 * never posts a part twice (Lark dedupes a uuid for an hour). A reply's picture is uploaded once
 * per app and shown as an img element of the reply's card.
 */
export function larkSender(ctx: AppContext): PlatformSender {
  async function imageKeyFor(client: LarkClient, tenantId: string, connectionId: string, imageId: string): Promise<string | undefined> {
    const key = `${ctx.config.REDIS_PREFIX}:lark-image:${connectionId}:${imageId}`
    // The picture is read only when it still has to be uploaded: the send follows its slot closely.
    const gone = Symbol('gone')
    try {
      return await uploadedOnce(ctx.redis, key, IMAGE_KEY_TTL_SECONDS, async () => {
        const png = await reportImagePng(ctx.prisma, tenantId, imageId)
        if (!png) throw gone
        return client.uploadImage(png, REPORT_IMAGE_FILE_NAME)
      })
    } catch (error) {
      if (error !== gone) throw error
      ctx.log.warn({ imageId }, 'reply picture is gone; sending the text alone')
      return undefined
    }
  }

  return {
    limitFor: ({ message, connection }) =>
      connection
        ? { bucket: [`lark:${message.destination}`, `lark-app:${connection.id}:s`, `lark-app:${connection.id}:m`], limit: [PER_CHAT, PER_APP_SECOND, PER_APP_MINUTE] }
        : { bucket: `lark:${message.destination}`, limit: PER_CHAT },
    async deliver({ message, reply, connection }) {
      if (!connection) throw new PlatformError('no Lark connection for this message', { platform: 'lark', kind: 'permanent' })
      const credentials = unsealCredentials(ctx, connection, 'lark')
      const client = createLarkClient({ baseUrl: ctx.config.LARK_API_BASE_URL, appId: credentials.appId, appSecret: credentials.appSecret })
      const imageKey = reply.image ? await imageKeyFor(client, message.tenantId, connection.id, reply.image.id) : undefined
      const parts = renderLarkMessage(reply, { imageKey })
      for (const [index, part] of parts.entries()) {
        const uuid = `${message.id}-${index}`
        if (message.replyToMessageId) await client.replyToMessage(message.replyToMessageId, part, uuid)
        else await client.sendToChat(message.destination, part, uuid)
      }
    },
  }
}
