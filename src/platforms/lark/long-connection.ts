import type { EventDispatcher, WSClient } from '@larksuiteoapi/node-sdk'
import type { Logger } from 'pino'
import type { AppContext } from '../../context.ts'
import type { PlatformConnection } from '../../generated/prisma/client.ts'
import { acceptInbound } from '../../inbox/accept.ts'
import type { LarkCredentials } from '../credentials.ts'
import { MalformedPayload } from '../errors.ts'
import type { LongConnectionHandle } from '../long-connections.ts'
import { larkDedupeKey, larkMessageToChat } from './inbound.ts'

export type LarkWsClientOptions = ConstructorParameters<typeof WSClient>[0]

/** The part of the SDK's WSClient we use; tests pass a fake that drives the dispatcher itself. */
export interface LarkWsClient {
  start(params: { eventDispatcher: EventDispatcher }): Promise<void>
  close(params?: { force?: boolean }): void
}

export interface LarkLongConnectionDeps {
  createClient?: (options: LarkWsClientOptions) => LarkWsClient
}

/** WSClient.start() only logs and returns for any other app id (platforms.md §3.11): refuse it loudly instead. */
const LARK_APP_ID = /^cli_[0-9a-fA-F]{16}$/

/**
 * What EventDispatcher hands an im.message.receive_v1 handler: the v2 envelope flattened to
 * {...header, ...event} (platforms.md §4), so event_id, sender and message sit side by side.
 */
export interface FlatLarkMessageEvent {
  event_id?: string
  sender?: unknown
  message?: unknown
}

/**
 * Receives Lark events over the SDK's WebSocket long connection and feeds them to the same inbox
 * as the webhook. The SDK reconnects by itself; close() stops it for good.
 */
export async function startLarkLongConnection(
  ctx: AppContext,
  connection: PlatformConnection,
  credentials: LarkCredentials,
  deps: LarkLongConnectionDeps = {},
): Promise<LongConnectionHandle> {
  if (!LARK_APP_ID.test(credentials.appId)) throw new Error('the Lark app id must be "cli_" followed by 16 hex digits')
  // Loaded on demand: the SDK is large, and most deployments use webhooks only.
  const lark = await import('@larksuiteoapi/node-sdk')
  const log = ctx.log.child({ platform: 'lark', connectionId: connection.id })
  // While the connection is down the SDK retries on its own: warn once per streak, not per attempt.
  const streak = { failing: false, seen: new Set<string>() }
  const logger = sdkLogger(log, streak)

  const dispatcher = new lark.EventDispatcher({ logger, loggerLevel: lark.LoggerLevel.info }).register({
    // Lark re-pushes an event whose handler takes over 3 s (platforms.md §3.1): store and queue only.
    'im.message.receive_v1': async (data) => {
      await acceptLarkLongConnectionEvent(ctx, connection, data, log)
    },
  })

  const options: LarkWsClientOptions = {
    appId: credentials.appId,
    appSecret: credentials.appSecret,
    domain: ctx.config.LARK_API_BASE_URL,
    logger,
    loggerLevel: lark.LoggerLevel.info,
    onReady: () => {
      streak.failing = false
      streak.seen.clear()
      log.info('Lark long connection ready')
    },
    onReconnecting: () => {
      if (!streak.failing) log.warn('Lark long connection lost, reconnecting')
      streak.failing = true
    },
    onReconnected: () => {
      streak.failing = false
      streak.seen.clear()
      log.info('Lark long connection restored')
    },
    onError: (error) => log.error({ err: error.message }, 'Lark long connection gave up'),
  }
  const client = deps.createClient ? deps.createClient(options) : new lark.WSClient(options)
  await client.start({ eventDispatcher: dispatcher })
  return {
    async close() {
      client.close({ force: true })
    },
  }
}

/**
 * Maps the flattened event back to the webhook's `{ sender, message }` and stores it under the same
 * key as the webhook (larkDedupeKey), so an event that arrives both ways (or twice) is handled once. A malformed event is
 * dropped with a warning (a re-push would not fix it); a storage failure throws, the SDK answers
 * 500, and Lark pushes the event again.
 */
export async function acceptLarkLongConnectionEvent(
  ctx: AppContext,
  connection: PlatformConnection,
  data: FlatLarkMessageEvent,
  log: Logger = ctx.log,
): Promise<void> {
  if (!data.event_id) {
    log.warn('Lark long-connection event without event_id dropped')
    return
  }
  let message
  try {
    message = larkMessageToChat(
      { sender: data.sender, message: data.message },
      { connectionId: connection.id, botOpenId: connection.botUserId ?? undefined, receivedAt: new Date() },
    )
  } catch (error) {
    if (!(error instanceof MalformedPayload)) throw error
    log.warn({ eventId: data.event_id, reason: error.message }, 'Lark long-connection event dropped')
    return
  }
  if (!message) return
  await acceptInbound(ctx, { tenantId: connection.tenantId, platform: 'lark', connectionId: connection.id, dedupeKey: larkDedupeKey(connection.id, data.event_id, message.messageId), message })
}

type SdkLogger = NonNullable<LarkWsClientOptions['logger']>

/**
 * The SDK's own lines go to our logger. It repeats the same error on every retry, so each distinct
 * line is a warning once per streak and debug after that; its debug output carries whole events,
 * so it is dropped.
 */
function sdkLogger(log: Logger, streak: { seen: Set<string> }): SdkLogger {
  // The SDK passes its arguments as one array ('[ws]', 'text').
  const text = (parts: unknown[]) => parts.flat().map((part) => (part instanceof Error ? part.message : String(part))).join(' ')
  const problem = (parts: unknown[]) => {
    const line = text(parts)
    if (streak.seen.has(line)) return log.debug({ sdk: line }, 'Lark SDK')
    if (streak.seen.size < 100) streak.seen.add(line)
    log.warn({ sdk: line }, 'Lark SDK problem')
  }
  return {
    error: (...parts: unknown[]) => problem(parts),
    warn: (...parts: unknown[]) => problem(parts),
    info: (...parts: unknown[]) => log.debug({ sdk: text(parts) }, 'Lark SDK'),
    debug: () => {},
    trace: () => {},
  }
}
