import type { BaseMessage, WSClientOptions, WsFrame } from '@wecom/aibot-node-sdk'
import type { Logger } from 'pino'
import type { AppContext } from '../../context.ts'
import type { PlatformConnection } from '../../generated/prisma/client.ts'
import { acceptInbound } from '../../inbox/accept.ts'
import type { WecomCredentials } from '../credentials.ts'
import { MalformedPayload } from '../errors.ts'
import type { LongConnectionHandle } from '../long-connections.ts'
import { wecomRobotMessageToChat } from './inbound.ts'

export type { WSClientOptions as WecomWsClientOptions } from '@wecom/aibot-node-sdk'

/** The part of the SDK's WSClient we use; tests pass a fake that emits frames itself. */
export interface WecomWsClient {
  on(event: 'message', listener: (frame: WsFrame<BaseMessage>) => void): unknown
  on(event: 'authenticated', listener: () => void): unknown
  on(event: 'reconnecting', listener: (attempt: number) => void): unknown
  on(event: 'error', listener: (error: Error) => void): unknown
  on(event: 'event.disconnected_event', listener: () => void): unknown
  connect(): unknown
  disconnect(): void
}

export interface WecomLongConnectionDeps {
  createClient?: (options: WSClientOptions) => WecomWsClient
  /** Pauses between storage attempts: the socket has no redelivery we could lean on. */
  retryDelaysMs?: number[]
}

const DEFAULT_RETRY_DELAYS_MS = [500, 2000]

/**
 * Receives intelligent-robot (智能机器人) messages over @wecom/aibot-node-sdk's WebSocket, logged
 * in with the robot's id and secret, and feeds them to the same inbox as the API-mode webhook.
 *
 * Replies do not go back over this socket: the outbound sender answers through the message's
 * response_url when WeCom includes one, and otherwise through the group's message-push key
 * (src/platforms/wecom/sender.ts), exactly as for webhook deliveries. A group used in this mode
 * therefore needs its push key bound in the admin page.
 */
export async function startWecomLongConnection(
  ctx: AppContext,
  connection: PlatformConnection,
  credentials: WecomCredentials,
  deps: WecomLongConnectionDeps = {},
): Promise<LongConnectionHandle> {
  if (!credentials.botId || !credentials.botSecret) throw new Error('a WeCom long connection needs the robot id and secret')
  const log = ctx.log.child({ platform: 'wecom', connectionId: connection.id })
  // While the connection is down the SDK retries on its own: warn once per streak, not per attempt.
  const streak = { failing: false, seen: new Set<string>() }
  const options: WSClientOptions = {
    botId: credentials.botId,
    secret: credentials.botSecret,
    // The SDK gives up after 10 attempts by default; a worker should keep trying for as long as it runs.
    maxReconnectAttempts: -1,
    logger: sdkLogger(log, streak),
  }
  let client: WecomWsClient
  if (deps.createClient) client = deps.createClient(options)
  else {
    const { WSClient } = await import('@wecom/aibot-node-sdk')
    client = new WSClient(options)
  }

  let closed = false
  const retryDelays = deps.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS
  // Every message type arrives here; wecomRobotMessageToChat keeps text (and the text of mixed) ones.
  client.on('message', (frame) => {
    void acceptWecomLongConnectionFrame(ctx, connection, frame, { log, retryDelaysMs: retryDelays, isClosed: () => closed })
  })
  client.on('authenticated', () => {
    streak.failing = false
    streak.seen.clear()
    log.info('WeCom long connection ready')
  })
  client.on('reconnecting', () => {
    if (!streak.failing) log.warn('WeCom long connection lost, reconnecting')
    streak.failing = true
  })
  client.on('error', (error) => {
    if (!streak.failing) log.warn({ err: error.message }, 'WeCom long connection error')
    streak.failing = true
  })
  // WeCom keeps one connection per robot: a newer one (another worker, another deployment) takes over.
  client.on('event.disconnected_event', () => log.warn('WeCom long connection taken over by a newer connection for the same robot'))
  client.connect()
  return {
    async close() {
      closed = true
      client.disconnect()
    },
  }
}

export interface WecomFrameOptions {
  log?: Logger
  retryDelaysMs?: number[]
  isClosed?: () => boolean
}

/**
 * One frame from the socket → the inbox, under `${connection.id}:${msgid}` like the webhook, so a
 * message seen both ways (or twice) is handled once. Never throws: it runs in an event listener.
 */
export async function acceptWecomLongConnectionFrame(
  ctx: AppContext,
  connection: PlatformConnection,
  frame: WsFrame<BaseMessage>,
  options: WecomFrameOptions = {},
): Promise<'accepted' | 'duplicate' | 'ignored' | 'failed'> {
  const log = options.log ?? ctx.log
  const body = frame.body
  if (!body) return 'ignored'
  let message
  try {
    message = wecomRobotMessageToChat(body, { connectionId: connection.id, receivedAt: new Date(), apiBaseUrl: ctx.config.WECOM_API_BASE_URL, log })
  } catch (error) {
    const reason = error instanceof MalformedPayload ? error.message : 'unreadable message'
    log.warn({ msgid: body.msgid, reason }, 'WeCom long-connection message dropped')
    return 'ignored'
  }
  if (!message) return 'ignored'
  const delays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS
  const delivery = { tenantId: connection.tenantId, platform: 'wecom' as const, connectionId: connection.id, dedupeKey: `${connection.id}:${body.msgid}`, message }
  for (let attempt = 0; ; attempt++) {
    try {
      return await acceptInbound(ctx, delivery)
    } catch (error) {
      if (attempt >= delays.length || options.isClosed?.()) {
        log.error({ msgid: body.msgid, err: (error as Error).message }, 'WeCom long-connection message could not be stored')
        return 'failed'
      }
      await new Promise((resolve) => setTimeout(resolve, delays[attempt]))
    }
  }
}

/**
 * The SDK's own lines go to our logger. It repeats the same error on every retry, so each distinct
 * line is a warning once per streak and debug after that; its debug output carries whole message
 * bodies, so it is dropped.
 */
function sdkLogger(log: Logger, streak: { seen: Set<string> }): NonNullable<WSClientOptions['logger']> {
  const text = (message: string, args: unknown[]) => [message, ...args.map((arg) => (arg instanceof Error ? arg.message : String(arg)))].join(' ')
  const problem = (message: string, args: unknown[]) => {
    const line = text(message, args)
    if (streak.seen.has(line)) return log.debug({ sdk: line }, 'WeCom SDK')
    if (streak.seen.size < 100) streak.seen.add(line)
    log.warn({ sdk: line }, 'WeCom SDK problem')
  }
  return {
    error: (message: string, ...args: unknown[]) => problem(message, args),
    warn: (message: string, ...args: unknown[]) => problem(message, args),
    info: (message: string, ...args: unknown[]) => log.debug({ sdk: text(message, args) }, 'WeCom SDK'),
    debug: () => {},
  }
}
