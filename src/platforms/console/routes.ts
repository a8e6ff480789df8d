import { randomUUID } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import type { FastifyPluginAsync } from 'fastify'
import { z } from 'zod'
import { registerAdminAuth } from '../../admin/auth.ts'
import type { AppContext } from '../../context.ts'
import { NotFound } from '../../errors.ts'
import { parseWith } from '../../http/validation.ts'
import { acceptInbound } from '../../inbox/accept.ts'
import { logRequestLine } from '../../logger.ts'
import type { ChatMessage } from '../../messages/chat-message.ts'
import { replySchema } from '../../messages/reply.ts'
import { reportImagePng } from '../../domain/reports/images.ts'
import { consoleChannel, consoleImageOf } from './sender.ts'
import { renderConsoleText } from './render.ts'

const postBody = z.object({
  memberId: z.string().min(1),
  text: z.string().min(1).max(4000),
  /** Optional client id: posting the same id twice is one message, as with platform redeliveries. */
  messageId: z.string().min(1).max(100).optional(),
})
const imageQuery = z.object({ group: z.string().min(1).max(100) })
const listQuery = z.object({ after: z.iso.datetime({ offset: true }).optional() })

/**
 * The console platform: talk to frontdesk as any member of a console group, through exactly the
 * same pipeline as Lark and WeCom (accept → inbound queue → command → outbound queue).
 */
export function consoleRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    // Posting as any member is impersonation: in production only holders of the admin token may.
    if (ctx.config.NODE_ENV === 'production') {
      await registerAdminAuth(app, { token: ctx.config.ADMIN_TOKEN, redis: ctx.redis, keyPrefix: `${ctx.config.REDIS_PREFIX}:admin-auth:` })
    }

    async function consoleGroup(groupId: string) {
      const group = await ctx.prisma.chatGroup.findFirst({ where: { id: groupId, platform: 'console' } })
      if (!group) throw new NotFound('console group not found')
      return group
    }

    app.post<{ Params: { groupId: string } }>('/groups/:groupId/messages', async (request, reply) => {
      const body = parseWith(postBody, request.body)
      const { group, sender, mentions } = await readPosting(ctx, request.params.groupId, body.memberId, body.text)
      const messageId = body.messageId ?? randomUUID()
      const message: ChatMessage = {
        platform: 'console',
        connectionId: null,
        chatId: group.externalId,
        chatType: 'group',
        sender,
        text: body.text,
        mentions,
        messageId,
        receivedAt: new Date().toISOString(),
      }
      const result = await acceptInbound(ctx, { tenantId: group.tenantId, platform: 'console', connectionId: null, dedupeKey: `${group.id}:${messageId}`, message })
      return reply.code(202).send({ messageId, result })
    })

    app.get<{ Params: { groupId: string }; Querystring: { after?: string } }>('/groups/:groupId/messages', async (request) => {
      const query = parseWith(listQuery, request.query)
      const group = await consoleGroup(request.params.groupId)
      const rows = await ctx.prisma.outgoingMessage.findMany({
        where: { groupId: group.id, platform: 'console', status: 'delivered', ...(query.after ? { deliveredAt: { gt: new Date(query.after) } } : {}) },
        orderBy: { deliveredAt: 'asc' },
        take: 200,
      })
      return {
        messages: rows.map((row) => ({
          id: row.id,
          at: row.deliveredAt?.toISOString(),
          replyTo: row.replyToMessageId ?? undefined,
          text: renderConsoleText(replySchema.parse(row.payload), consoleImageOf(ctx, group.id, replySchema.parse(row.payload))),
        })),
      }
    })

    // A reply's picture (a report chart), for the group's tenant only: any other id is not found.
    app.get<{ Params: { imageId: string }; Querystring: { group?: string } }>('/images/:imageId', async (request, reply) => {
      const query = parseWith(imageQuery, request.query)
      const group = await consoleGroup(query.group)
      const png = await reportImagePng(ctx.prisma, group.tenantId, request.params.imageId)
      if (!png) throw new NotFound('image not found')
      return reply.type('image/png').header('cache-control', 'private, max-age=86400').send(Buffer.from(png))
    })

    // An event stream never ends by itself: closing the server ends each one, or shutdown would wait forever.
    const openStreams = new Set<ServerResponse>()
    app.addHook('preClose', async () => {
      for (const stream of openStreams) stream.end()
    })

    // Server-sent events: one event per message the bot posts in the group.
    app.get<{ Params: { groupId: string } }>('/groups/:groupId/events', async (request, reply) => {
      const startedAt = performance.now()
      const group = await consoleGroup(request.params.groupId)
      const subscriber = ctx.redis.duplicate()
      subscriber.on('error', () => {}) // a lost subscription ends the stream below
      await subscriber.subscribe(consoleChannel(ctx, group.id))
      reply.hijack()
      const stream = reply.raw
      openStreams.add(stream)
      stream.on('close', () => {
        openStreams.delete(stream)
        subscriber.disconnect()
        // Fastify logs a stream that ended; one the client dropped is ours to log.
        if (!stream.writableFinished) logRequestLine(request, stream.statusCode, performance.now() - startedAt)
      })
      subscriber.on('end', () => stream.end())
      stream.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' })
      // A comment line sends the headers now, so clients know the stream is open before the first event.
      stream.write(': connected\n\n')
      subscriber.on('message', (_channel, payload) => stream.write(`data: ${payload}\n\n`))
    })
  }
}

type Person = { userId: string; name: string }
type PostingRow = { id: string; tenantId: string; externalId: string; sender: Person | null; named: Person[] }

/**
 * What a post needs, in one statement: the console group, the posting member of its tenant, and
 * the members its "@张师傅" mentions name (console text mentions a member by name, as platforms
 * do natively). Unknown group or member → NotFound.
 */
async function readPosting(ctx: AppContext, groupId: string, memberId: string, text: string) {
  const names = [...text.matchAll(/@([^\s@，,：:]+)/g)].map((m) => m[1])
  const [row] = await ctx.db.sql.query<PostingRow>(
    `SELECT g.id, g."tenantId", g."externalId",
       (SELECT jsonb_build_object('userId', m."externalUserId", 'name', m.name) FROM "Member" m
         WHERE m.id = $2 AND m."tenantId" = g."tenantId" AND m.platform = 'console') AS sender,
       (SELECT coalesce(jsonb_agg(jsonb_build_object('userId', n."externalUserId", 'name', n.name)), '[]') FROM "Member" n
         WHERE n."tenantId" = g."tenantId" AND n.platform = 'console' AND n.name IN (SELECT jsonb_array_elements_text($3::jsonb))) AS named
     FROM "ChatGroup" g WHERE g.id = $1 AND g.platform = 'console'`,
    [groupId, memberId, JSON.stringify(names)],
    { name: 'console-read-posting' },
  )
  if (!row) throw new NotFound('console group not found')
  if (!row.sender) throw new NotFound('member not found in this tenant')
  const person = ({ userId, name }: Person): Person => ({ userId, name })
  const mentions = names.flatMap((name) => row.named.filter((member) => member.name === name).slice(0, 1).map(person))
  return { group: row, sender: person(row.sender), mentions }
}
