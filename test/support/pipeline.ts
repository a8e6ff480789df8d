import { randomBytes, randomUUID } from 'node:crypto'
import { afterAll } from 'vitest'
import type { ChatHandler, ChatInput } from '../../src/inbox/handler.ts'
import { createProcessors, type ProcessorDeps } from '../../src/jobs/processors.ts'
import { startWorkers } from '../../src/jobs/workers.ts'
import { textReply } from '../../src/messages/reply.ts'
import { encryptLarkEvent, larkSignature } from '../../src/platforms/lark/crypto.ts'
import { encryptWecom, wecomSignature } from '../../src/platforms/wecom/crypto.ts'
import type { TestEnv } from './harness.ts'

/** Runs every queue's worker for this test file, stopped after the file. */
export function startTestWorkers(env: TestEnv, deps: Partial<ProcessorDeps> = {}) {
  const workers = startWorkers(
    env.ctx,
    createProcessors(env.ctx, {
      handleChat: deps.handleChat ?? (async () => null),
      fireReminder: deps.fireReminder ?? (async () => ({ notifications: [] })),
      fireReminders: deps.fireReminders,
    }),
  )
  afterAll(() => workers.close())
  return workers
}

/** A chat handler that records what it was asked and answers "收到：<text>". */
export function recordingHandler(): { handler: ChatHandler; calls: ChatInput[] } {
  const calls: ChatInput[] = []
  return {
    calls,
    handler: async (_ctx, input) => {
      calls.push(input)
      return textReply(`收到：${input.message.text}`)
    },
  }
}

export const larkCredentials = {
  appId: 'cli_a1b2c3d4e5f60718',
  appSecret: 'lark-app-secret-for-tests',
  encryptKey: 'lark-encrypt-key-for-tests',
  verificationToken: 'lark-verification-token',
  domain: 'feishu' as const,
}

export const BOT_OPEN_ID = 'ou_frontdesk_bot'

export async function createLarkSetup(env: TestEnv, options: { bindGroup?: boolean; chatId?: string } = {}) {
  const prisma = env.ctx.prisma
  const tenant = await prisma.tenant.create({ data: { name: `Lark tenant ${randomUUID().slice(0, 6)}` } })
  const connection = await prisma.platformConnection.create({
    data: {
      tenantId: tenant.id,
      platform: 'lark',
      name: 'Lark app',
      appId: larkCredentials.appId,
      botUserId: BOT_OPEN_ID,
      credentials: env.ctx.secrets.sealJson(larkCredentials),
    },
  })
  const chatId = options.chatId ?? `oc_${randomBytes(8).toString('hex')}`
  const group =
    options.bindGroup === false
      ? null
      : await prisma.chatGroup.create({
          data: { tenantId: tenant.id, connectionId: connection.id, platform: 'lark', externalId: chatId, name: '前台群', purpose: 'front_desk' },
        })
  return { tenant, connection, group, chatId }
}

/** An im.message.receive_v1 event @-mentioning the bot in a group, as Lark sends it (schema 2.0). */
export function larkMessageEvent(options: { chatId: string; text: string; eventId?: string; messageId?: string; token?: string; sender?: string }) {
  const eventId = options.eventId ?? randomUUID()
  return {
    schema: '2.0',
    header: {
      event_id: eventId,
      event_type: 'im.message.receive_v1',
      create_time: String(Date.now()),
      token: options.token ?? larkCredentials.verificationToken,
      app_id: larkCredentials.appId,
      tenant_key: 'tenant-key',
    },
    event: {
      sender: { sender_id: { open_id: options.sender ?? 'ou_sender_1', union_id: 'on_1' }, sender_type: 'user', tenant_key: 'tenant-key' },
      message: {
        message_id: options.messageId ?? `om_${eventId}`,
        create_time: String(Date.now()),
        chat_id: options.chatId,
        chat_type: 'group',
        message_type: 'text',
        content: JSON.stringify({ text: `@_user_1 ${options.text}` }),
        mentions: [{ key: '@_user_1', id: { open_id: BOT_OPEN_ID }, name: 'frontdesk', tenant_key: 'tenant-key' }],
      },
    },
  }
}

/**
 * The HTTP request Lark would make for a body: encrypted, signed over the exact bytes, with the
 * connection's `encryptKey` (the test credentials unless given); `signWith` signs with another.
 */
export function signedLarkRequest(connectionId: string, body: unknown, options: { timestamp?: number; encrypt?: boolean; encryptKey?: string; signWith?: string } = {}) {
  const encryptKey = options.encryptKey ?? larkCredentials.encryptKey
  const plain = JSON.stringify(body)
  const payload = Buffer.from(options.encrypt === false ? plain : JSON.stringify({ encrypt: encryptLarkEvent(plain, encryptKey) }))
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000))
  const nonce = randomBytes(6).toString('hex')
  return {
    method: 'POST' as const,
    url: `/webhooks/lark/${connectionId}`,
    payload,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-lark-request-timestamp': timestamp,
      'x-lark-request-nonce': nonce,
      'x-lark-signature': larkSignature(timestamp, nonce, options.signWith ?? encryptKey, payload),
    },
  }
}

export const wecomCredentials = {
  token: 'wecomRobotToken',
  encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  receiveId: '',
}

export async function createWecomSetup(env: TestEnv, options: { pushKey?: string; chatId?: string } = {}) {
  const prisma = env.ctx.prisma
  const tenant = await prisma.tenant.create({ data: { name: `WeCom tenant ${randomUUID().slice(0, 6)}` } })
  const connection = await prisma.platformConnection.create({
    data: { tenantId: tenant.id, platform: 'wecom', name: '智能机器人', appId: 'aibot-1', credentials: env.ctx.secrets.sealJson(wecomCredentials) },
  })
  const chatId = options.chatId ?? `wr${randomBytes(8).toString('hex')}`
  const group = await prisma.chatGroup.create({
    data: {
      tenantId: tenant.id,
      connectionId: connection.id,
      platform: 'wecom',
      externalId: chatId,
      name: '维修群',
      purpose: 'maintenance',
      pushKey: options.pushKey ? env.ctx.secrets.seal(options.pushKey) : null,
    },
  })
  return { tenant, connection, group, chatId }
}

/** An intelligent-robot text callback, encrypted and signed as WeCom sends it. */
export function signedWecomRobotRequest(connectionId: string, message: { msgid?: string; chatId: string; userId?: string; text: string; responseUrl: string }) {
  const plain = JSON.stringify({
    msgid: message.msgid ?? randomUUID(),
    aibotid: 'aibot-1',
    chatid: message.chatId,
    chattype: 'group',
    from: { userid: message.userId ?? 'zhangsan' },
    response_url: message.responseUrl,
    msgtype: 'text',
    text: { content: `@前台助手 ${message.text}` },
  })
  const encrypt = encryptWecom(wecomCredentials.encodingAESKey, plain, wecomCredentials.receiveId)
  const timestamp = String(Math.floor(Date.now() / 1000))
  const nonce = randomBytes(5).toString('hex')
  const signature = wecomSignature(wecomCredentials.token, timestamp, nonce, encrypt)
  return {
    method: 'POST' as const,
    url: `/webhooks/wecom/${connectionId}?msg_signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`,
    payload: JSON.stringify({ encrypt }),
    headers: { 'content-type': 'application/json' },
  }
}

/** A self-built app connection: callback Token/EncodingAESKey, receiveId = CorpID, and the app credentials for replies. */
export const wecomAppCredentials = {
  token: 'wecomAppToken',
  encodingAESKey: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456',
  receiveId: 'ww0a1b2c3d4e5f6789',
  corpId: 'ww0a1b2c3d4e5f6789',
  agentId: 1000002,
  corpSecret: 'wecom-app-secret-NEVER-LEAK-3c9d',
}

/** A WeCom connection for an app callback; `app: false` leaves out corpId/agentId/corpSecret. */
export async function createWecomAppSetup(env: TestEnv, options: { app?: boolean } = {}) {
  const { corpId, agentId, corpSecret, ...callback } = wecomAppCredentials
  const credentials = options.app === false ? callback : { ...callback, corpId, agentId, corpSecret }
  const tenant = await env.ctx.prisma.tenant.create({ data: { name: `WeCom app tenant ${randomUUID().slice(0, 6)}` } })
  const connection = await env.ctx.prisma.platformConnection.create({
    data: { tenantId: tenant.id, platform: 'wecom', name: '前台应用', credentials: env.ctx.secrets.sealJson(credentials) },
  })
  return { tenant, connection }
}

/** A member's text message to the app: XML envelope, encrypted with receiveId = CorpID and signed (platforms.md §1.3, §1.6). */
export function signedWecomAppRequest(connectionId: string, message: { msgId?: string; userId: string; text: string }) {
  const { corpId, agentId, encodingAESKey, token } = wecomAppCredentials
  const cdata = (value: string) => `<![CDATA[${value}]]>`
  const plain =
    `<xml><ToUserName>${cdata(corpId)}</ToUserName><FromUserName>${cdata(message.userId)}</FromUserName>` +
    `<CreateTime>${Math.floor(Date.now() / 1000)}</CreateTime><MsgType>${cdata('text')}</MsgType>` +
    `<Content>${cdata(message.text)}</Content><MsgId>${message.msgId ?? BigInt(`0x${randomBytes(8).toString('hex')}`).toString()}</MsgId>` +
    `<AgentID>${agentId}</AgentID></xml>`
  const encrypt = encryptWecom(encodingAESKey, plain, corpId)
  const timestamp = String(Math.floor(Date.now() / 1000))
  const nonce = randomBytes(5).toString('hex')
  const signature = wecomSignature(token, timestamp, nonce, encrypt)
  return {
    method: 'POST' as const,
    url: `/webhooks/wecom/${connectionId}?msg_signature=${signature}&timestamp=${timestamp}&nonce=${nonce}`,
    payload: `<xml><ToUserName>${cdata(corpId)}</ToUserName><AgentID>${cdata(String(agentId))}</AgentID><Encrypt>${cdata(encrypt)}</Encrypt></xml>`,
    headers: { 'content-type': 'text/xml' },
  }
}
