import type { AppContext } from '../../context.ts'
import type { PlatformConnection } from '../../generated/prisma/client.ts'
import type { Reply } from '../../messages/reply.ts'
import type { PlatformSender } from '../../outbox/senders.ts'
import { unsealCredentials } from '../connections.ts'
import { PlatformError } from '../errors.ts'
import { REPORT_IMAGE_FILE_NAME, reportImagePng, uploadedOnce } from '../../domain/reports/images.ts'
import { WECOM_WEBHOOK_IMAGE_MAX_BYTES, createWecomClient, wecomImageBody, type WecomOutboundBody } from './api.ts'
import { WECOM_MEDIA_IMAGE_MAX_BYTES, createWecomAppClient } from './app-api.ts'
import { WECOM_APP_MARKDOWN_MAX_BYTES, renderWecomMarkdown } from './render.ts'

/**
 * Each message-push webhook may send 20 messages a minute (platforms.md §2.1). The window is a
 * second longer than WeCom's so that network delay and clock skew never tip a send into 45009.
 */
const PER_PUSH_KEY = { max: 20, windowMs: 61_000 }

/** A temporary media_id lives 3 days; reuse it for two. */
const MEDIA_ID_TTL_SECONDS = 2 * 24 * 3600

const isResponseUrl = (destination: string) => /^https?:\/\//.test(destination)

/** An app direct chat (wecomAppMessageToChat): `single:<userid>`, answered through the app API. */
const APP_CHAT_PREFIX = 'single:'
const appUserOf = (destination: string) => (destination.startsWith(APP_CHAT_PREFIX) ? destination.slice(APP_CHAT_PREFIX.length) : null)

/**
 * A reply to a robot message goes to its response_url (one use, one hour); a reply in an app direct
 * chat goes to the member through the app's message API; everything else, and any part of a long
 * robot reply after the first, goes through the group's message-push webhook.
 */
export function wecomSender(ctx: AppContext): PlatformSender {
  const client = createWecomClient({ baseUrl: ctx.config.WECOM_API_BASE_URL })

  async function deliverToAppUser(userId: string, reply: Reply, connection: PlatformConnection | null): Promise<void> {
    const credentials = connection ? unsealCredentials(ctx, connection, 'wecom') : null
    const { corpId, agentId, corpSecret } = credentials ?? {}
    if (!corpId || agentId === undefined || !corpSecret) {
      throw new PlatformError('the WeCom app credentials are missing (corpId, agentId, corpSecret): add them to the connection to reply in app chats', {
        platform: 'wecom',
        kind: 'permanent',
      })
    }
    const app = createWecomAppClient({ baseUrl: ctx.config.WECOM_API_BASE_URL, corpId, agentId, corpSecret })
    for (const content of renderWecomMarkdown(reply, WECOM_APP_MARKDOWN_MAX_BYTES)) {
      await app.sendToUser(userId, { msgtype: 'markdown', markdown: { content } })
    }
    const png = await pictureOf(reply, connection?.tenantId ?? null, WECOM_MEDIA_IMAGE_MAX_BYTES)
    if (png && connection) {
      const key = `${ctx.config.REDIS_PREFIX}:wecom-media:${connection.id}:${reply.image!.id}`
      const mediaId = await uploadedOnce(ctx.redis, key, MEDIA_ID_TTL_SECONDS, () => app.uploadImage(png, REPORT_IMAGE_FILE_NAME))
      await app.sendToUser(userId, { msgtype: 'image', image: { media_id: mediaId } })
    }
  }

  /** The reply's stored picture when it can be sent; a missing or oversized one leaves the text alone. */
  async function pictureOf(reply: Reply, tenantId: string | null, maxBytes: number): Promise<Uint8Array<ArrayBuffer> | null> {
    if (!reply.image || !tenantId) return null
    const png = await reportImagePng(ctx.prisma, tenantId, reply.image.id)
    if (!png || png.byteLength > maxBytes) {
      ctx.log.warn({ imageId: reply.image.id, bytes: png?.byteLength }, 'reply picture missing or too large for WeCom; sending the text alone')
      return null
    }
    return png
  }

  return {
    // App messages get no budget of ours: a 45009 from WeCom delays the job (the processor handles throttles).
    limitFor: ({ message, group }) =>
      isResponseUrl(message.destination) || appUserOf(message.destination) !== null || !group
        ? null
        : { bucket: `wecom:${group.id}`, limit: PER_PUSH_KEY },
    async deliver({ message, reply, group, connection }) {
      const appUser = appUserOf(message.destination)
      if (appUser !== null) return deliverToAppUser(appUser, reply, connection)

      const parts: WecomOutboundBody[] = renderWecomMarkdown(reply).map((content) => ({ msgtype: 'markdown' as const, markdown: { content } }))
      const pushKey = group?.pushKey ? ctx.secrets.open(group.pushKey) : null
      // The picture follows the text as a webhook image message (base64 + md5), which needs the push key.
      const png = pushKey ? await pictureOf(reply, message.tenantId, WECOM_WEBHOOK_IMAGE_MAX_BYTES) : null
      if (png) parts.push(wecomImageBody(png))
      let rest = parts
      if (isResponseUrl(message.destination)) {
        await client.respondToResponseUrl(message.destination, parts[0])
        rest = parts.slice(1)
      }
      if (rest.length && !pushKey) {
        throw new PlatformError('the group has no message-push key: bind one in the admin page', { platform: 'wecom', kind: 'permanent' })
      }
      for (const part of rest) await client.pushWebhook(pushKey as string, part)
    },
  }
}
