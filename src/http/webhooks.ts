import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { AppContext } from '../context.ts'
import { httpStatusOf, ServiceUnavailable } from '../errors.ts'
import { acceptInbound } from '../inbox/accept.ts'
import type { ChatMessage } from '../messages/chat-message.ts'
import { loadConnection, withCurrentConnection, type DeliveryOutcome } from '../platforms/connections.ts'
import { learnLarkBotIdentity } from '../platforms/lark/bot-identity.ts'
import { larkDedupeKey, readLarkRequest, larkMessageToChat } from '../platforms/lark/inbound.ts'
import {
  handleWecomVerification,
  parseWecomAppCallback,
  parseWecomRobotBody,
  wecomAppMessageToChat,
  wecomRobotMessageToChat,
  type QueryBag,
  type WecomFreshness,
} from '../platforms/wecom/inbound.ts'

/** Lark signs the exact body bytes (platforms.md §3.5): keep them, parse nothing before verifying. */
const WEBHOOK_BODY_LIMIT = 512 * 1024

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: Buffer
  }
}

/**
 * Inbound webhooks: verify → decrypt → dedupe → enqueue → 200, in milliseconds. The command runs
 * in a worker. Refusals say as little as possible: 401 carries no detail, and each is logged once
 * with its reason but never with the body or any secret.
 */
export function webhookRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    keepRawBodies(app)
    app.setErrorHandler(refusal(ctx))

    app.post<{ Params: { connectionId: string } }>('/lark/:connectionId', async (request, reply) => {
      const answer = await withCurrentConnection(ctx, request.params.connectionId, 'lark', async ({ connection, credentials }): Promise<DeliveryOutcome<object>> => {
        const body = readLarkRequest(rawBodyOf(request), request.headers, credentials, new Date())
        if (body.kind === 'challenge') return { answer: { challenge: body.challenge }, confirmed: false }
        learnLarkBotIdentity(ctx, connection, credentials)
        const message =
          body.eventType === 'im.message.receive_v1'
            ? larkMessageToChat(body.event, { connectionId: connection.id, botOpenId: connection.botUserId ?? undefined, receivedAt: new Date() })
            : null
        // Other event types are acknowledged so Lark stops retrying them.
        if (!message) return { answer: {}, confirmed: false }
        const dedupeKey = larkDedupeKey(connection.id, body.eventId, message.messageId)
        await acceptInbound(ctx, { tenantId: connection.tenantId, platform: 'lark', connectionId: connection.id, dedupeKey, message, verifiedConnection: connection })
        return { answer: {}, confirmed: true }
      })
      return reply.send(answer)
    })

    app.get<{ Params: { connectionId: string }; Querystring: QueryBag }>('/wecom/:connectionId', async (request, reply) => {
      // URL verification is rare: always against the connection as it is now.
      const { credentials } = await loadConnection(ctx, request.params.connectionId, 'wecom', { fresh: true })
      const echo = handleWecomVerification(request.query, credentials, wecomFreshness(ctx))
      return reply.type('text/plain; charset=utf-8').send(echo)
    })

    app.post<{ Params: { connectionId: string }; Querystring: QueryBag }>('/wecom/:connectionId', async (request, reply) => {
      await withCurrentConnection(ctx, request.params.connectionId, 'wecom', async ({ connection, credentials }) => {
        const raw = rawBodyOf(request)
        const options = { connectionId: connection.id, receivedAt: new Date(), apiBaseUrl: ctx.config.WECOM_API_BASE_URL, log: ctx.log }
        const freshness = wecomFreshness(ctx)
        const accept = async (message: ChatMessage | null, dedupeKey: string) => {
          if (!message) return { answer: null, confirmed: false }
          await acceptInbound(ctx, { tenantId: connection.tenantId, platform: 'wecom', connectionId: connection.id, dedupeKey, message, verifiedConnection: connection })
          return { answer: null, confirmed: true }
        }
        // The intelligent robot posts JSON; a self-built app's callback posts XML (platforms.md §1.3, §2.3).
        if (raw.subarray(0, 64).toString('utf8').trimStart().startsWith('<')) {
          const appMessage = parseWecomAppCallback(raw, request.query, credentials, freshness)
          return accept(wecomAppMessageToChat(appMessage, options), `${connection.id}:${appMessage.msgId}`)
        }
        const { msgid, message: plain } = parseWecomRobotBody(raw, request.query, credentials, freshness)
        return accept(wecomRobotMessageToChat(plain, options), `${connection.id}:${msgid}`)
      })
      // An empty 200: the answer follows later through response_url or the message-push webhook.
      return reply.type('text/plain; charset=utf-8').send('')
    })
  }
}

function wecomFreshness(ctx: AppContext): WecomFreshness {
  return { now: new Date(), windowSeconds: ctx.config.WECOM_REPLAY_WINDOW_SECONDS }
}

function keepRawBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers()
  const keep = (request: FastifyRequest, body: string | Buffer, done: (error: null, body: undefined) => void) => {
    request.rawBody = body as Buffer
    done(null, undefined)
  }
  // Fastify remembers the parser per Content-Type only for a type registered by name; the
  // catch-all alone made it parse the header again on every delivery.
  app.addContentTypeParser(['application/json', 'text/xml'], { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT }, keep)
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: WEBHOOK_BODY_LIMIT }, keep)
}

function rawBodyOf(request: FastifyRequest): Buffer {
  return request.rawBody ?? Buffer.alloc(0)
}

const publicAnswer: Record<number, object> = {
  400: { error: 'bad request' },
  401: {},
  404: { error: 'not found' },
  413: { error: 'payload too large' },
  503: { error: 'unavailable' },
}

function refusal(ctx: AppContext) {
  return (error: unknown, request: FastifyRequest<{ Params: { connectionId?: string } }>, reply: FastifyReply) => {
    const status = httpStatusOf(error, (error as { statusCode?: number }).statusCode ?? 500)
    const reason = error instanceof Error ? error.name : 'unknown'
    if (status >= 500) ctx.log.error({ url: request.routeOptions.url, connectionId: request.params.connectionId, err: (error as Error).message }, 'webhook failed')
    else ctx.log.warn({ url: request.routeOptions.url, connectionId: request.params.connectionId, status, reason }, 'webhook refused')
    // The database is down: nothing was stored, and the platform's retry will find us back.
    if (status === 503) reply.header('retry-after', String(error instanceof ServiceUnavailable ? error.retryAfterSeconds : 5))
    return reply.code(status).send(publicAnswer[status] ?? { error: status >= 500 ? 'internal error' : 'bad request' })
  }
}
