import type { AppContext } from '../../context.ts'
import type { PlatformConnection } from '../../generated/prisma/client.ts'
import type { LarkCredentials } from '../credentials.ts'
import { forgetConnection } from '../connections.ts'
import { createLarkClient } from './api.ts'

/** A failed lookup is tried again after this long, not on every event. */
const RETRY_AFTER_MS = 10 * 60_000
const lastTried = new Map<string, number>()

/**
 * Learns the bot's open_id once per connection and stores it, so that "@前台助手 派单 #1 @张师傅"
 * tells the bot's mention from 张师傅's. Until then larkMessageToChat falls back on a heuristic
 * (platforms.md §3.7). Runs in the background: a webhook never waits for it.
 */
export function learnLarkBotIdentity(ctx: AppContext, connection: PlatformConnection, credentials: LarkCredentials): void {
  if (connection.botUserId) return
  const now = Date.now()
  if (now - (lastTried.get(connection.id) ?? 0) < RETRY_AFTER_MS) return
  lastTried.set(connection.id, now)
  const client = createLarkClient({ baseUrl: ctx.config.LARK_API_BASE_URL, appId: credentials.appId, appSecret: credentials.appSecret })
  client
    .getBotOpenId()
    .then(async (openId) => {
      await ctx.prisma.platformConnection.update({ where: { id: connection.id }, data: { botUserId: openId } })
      forgetConnection(ctx, connection.id)
      ctx.log.info({ connectionId: connection.id }, 'learnt the Lark bot identity')
    })
    .catch((error: Error) => ctx.log.warn({ connectionId: connection.id, err: error.message }, 'could not learn the Lark bot identity yet'))
}
