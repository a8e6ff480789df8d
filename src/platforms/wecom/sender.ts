import type { AppContext } from '../../context.ts'
import type { PlatformSender } from '../../outbox/senders.ts'
import { PlatformError } from '../errors.ts'
import { createWecomClient } from './api.ts'
import { renderWecomMarkdown } from './render.ts'

/**
 * Each message-push webhook may send 20 messages a minute (platforms.md §2.1). The window is a
 * second longer than WeCom's so that network delay and clock skew never tip a send into 45009.
 */
const PER_PUSH_KEY = { max: 20, windowMs: 61_000 }

const isResponseUrl = (destination: string) => /^https?:\/\//.test(destination)

/**
 * A reply to a robot message goes to its response_url (one use, one hour); everything else, and
 * any part of a long reply after the first, goes through the group's message-push webhook.
 */
export function wecomSender(ctx: AppContext): PlatformSender {
  const client = createWecomClient({ baseUrl: ctx.config.WECOM_API_BASE_URL })
  return {
    limitFor: ({ message, group }) =>
      isResponseUrl(message.destination) || !group ? null : { bucket: `wecom:${group.id}`, limit: PER_PUSH_KEY },
    async deliver({ message, reply, group }) {
      const parts = renderWecomMarkdown(reply).map((content) => ({ msgtype: 'markdown' as const, markdown: { content } }))
      const pushKey = group?.pushKey ? ctx.secrets.open(group.pushKey) : null
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
