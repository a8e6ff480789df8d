import { XMLParser, XMLValidator } from 'fast-xml-parser'
import type { Logger } from 'pino'
import { z } from 'zod'
import type { ChatMessage } from '../../messages/chat-message.ts'
import { BadSignature, MalformedPayload, StaleRequest } from '../errors.ts'
import { collapseWhitespace } from '../lark/inbound.ts'
import { isOnOrigin, maskUrl } from '../outbound-guard.ts'
import { isFreshTimestamp } from '../replay-window.ts'
import { WecomCryptoCode, decryptWecom, verifyWecomSignature } from './crypto.ts'

export interface WecomInboundCredentials {
  token: string
  encodingAESKey: string
  /** "" for internal robots, the CorpID for app callbacks (platforms.md §1.4). */
  receiveId?: string
}

export type QueryBag = Record<string, unknown>

const signedQuery = z.object({
  msg_signature: z.string().min(1),
  timestamp: z.string().min(1),
  nonce: z.string().min(1),
})

function readQuery<T extends z.ZodType>(schema: T, query: QueryBag): z.infer<T> {
  const parsed = schema.safeParse(query)
  if (!parsed.success) throw new MalformedPayload('query lacks msg_signature, timestamp, nonce (or echostr for verification)')
  return parsed.data
}

/** When the request is checked, and how far its signed timestamp may be from then (WECOM_REPLAY_WINDOW_SECONDS). */
export interface WecomFreshness {
  now: Date
  windowSeconds: number
}

/**
 * The signature covers the timestamp, so once it matches, an old timestamp means a replayed
 * request: refused even when its msgid has long left the dedupe table (platforms.md §1.4, §2.3).
 */
function checkSignature(creds: WecomInboundCredentials, q: z.infer<typeof signedQuery>, encrypt: string, freshness: WecomFreshness): void {
  if (!verifyWecomSignature(creds.token, q.timestamp, q.nonce, encrypt, q.msg_signature)) {
    throw new BadSignature('msg_signature mismatch', { code: WecomCryptoCode.signature })
  }
  if (!isFreshTimestamp(q.timestamp, freshness.now, freshness.windowSeconds)) throw new StaleRequest('timestamp outside the replay window')
}

/**
 * GET URL verification (platforms.md §1.2, §2.3): check msg_signature over echostr, decrypt it, and
 * answer with the plaintext exactly (no quotes, no newline). The query must already be URL-decoded
 * (Fastify does that), since echostr contains + / =.
 */
export function handleWecomVerification(query: QueryBag, creds: WecomInboundCredentials, freshness: WecomFreshness): string {
  const q = readQuery(signedQuery.extend({ echostr: z.string().min(1) }), query)
  checkSignature(creds, q, q.echostr, freshness)
  return decryptWecom(creds.encodingAESKey, q.echostr, creds.receiveId ?? '')
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text)
  } catch (cause) {
    throw new MalformedPayload(`${what} is not JSON`, { cause })
  }
}

// 智能机器人 (intelligent robot) API mode: JSON body {"encrypt": "…"}, JSON plaintext (platforms.md §2.3).
const robotEnvelope = z.object({ encrypt: z.string().min(1) })
const robotPlain = z.looseObject({ msgid: z.string().min(1), msgtype: z.string() })
export type WecomRobotPlain = z.infer<typeof robotPlain>

export function parseWecomRobotBody(
  rawBody: Buffer,
  query: QueryBag,
  creds: WecomInboundCredentials,
  freshness: WecomFreshness,
): { msgid: string; message: WecomRobotPlain } {
  const q = readQuery(signedQuery, query)
  const envelope = robotEnvelope.safeParse(parseJson(rawBody.toString('utf8'), 'body'))
  if (!envelope.success) throw new MalformedPayload('body has no encrypt field')
  checkSignature(creds, q, envelope.data.encrypt, freshness)
  const plain = decryptWecom(creds.encodingAESKey, envelope.data.encrypt, creds.receiveId ?? '')
  const message = robotPlain.safeParse(parseJson(plain, 'decrypted message'))
  if (!message.success) throw new MalformedPayload('decrypted message lacks msgid or msgtype')
  return { msgid: message.data.msgid, message: message.data }
}

// Text message fields (platforms.md §2.3, W100719); mixed messages carry text items in msg_item.
const textPart = z.object({ msgtype: z.literal('text'), text: z.object({ content: z.string() }) })
const robotMessage = z.looseObject({
  msgid: z.string().min(1),
  chatid: z.string().optional(),
  chattype: z.enum(['single', 'group']),
  from: z.looseObject({ userid: z.string().min(1) }),
  response_url: z.string().optional(),
  msgtype: z.string(),
  text: z.object({ content: z.string() }).optional(),
  mixed: z.object({ msg_item: z.array(z.looseObject({ msgtype: z.string() })) }).optional(),
})

export interface WecomChatOptions {
  connectionId: string | null
  receivedAt: Date | string
}

export interface WecomRobotChatOptions extends WecomChatOptions {
  /** The configured WeCom API base URL (WECOM_API_BASE_URL): a response_url anywhere else is dropped. */
  apiBaseUrl: string
  /** Told (without the URL's query, which holds the one-time response_code) when a response_url is dropped. */
  log?: Pick<Logger, 'warn'>
}

/**
 * A response_url is always on the WeCom API host (platforms.md §2.3). One elsewhere would make the
 * outbound worker POST wherever the message says, so it is dropped and the reply falls back to
 * the group's message-push key.
 */
function trustedReplyUrl(responseUrl: string | undefined, options: WecomRobotChatOptions): string | undefined {
  if (!responseUrl) return undefined
  if (isOnOrigin(responseUrl, options.apiBaseUrl)) return responseUrl
  options.log?.warn({ connectionId: options.connectionId, responseUrl: maskUrl(responseUrl) }, 'WeCom response_url is not on the WeCom API host: dropped')
  return undefined
}

function isoOf(at: Date | string): string {
  return typeof at === 'string' ? at : at.toISOString()
}

function robotText(message: z.infer<typeof robotMessage>): string | null {
  if (message.msgtype === 'text') return message.text?.content ?? null
  if (message.msgtype === 'mixed' && message.mixed) {
    const texts = message.mixed.msg_item.flatMap((item) => {
      const part = textPart.safeParse(item)
      return part.success ? [part.data.text.content] : []
    })
    return texts.length > 0 ? texts.join('\n') : null
  }
  return null
}

/**
 * Maps a decrypted robot message to a ChatMessage, or null for non-text messages and events.
 * Single chats have no chatid, so the chat is `single:<userid>`. In groups the robot's own
 * mention is the first @token (WeCom only pushes group messages that @ the robot) and is removed;
 * other mentions stay as "@Name" text: the callback carries no user ids for them.
 */
export function wecomRobotMessageToChat(plain: unknown, options: WecomRobotChatOptions): ChatMessage | null {
  const parsed = robotMessage.safeParse(plain)
  if (!parsed.success) {
    if (robotPlain.safeParse(plain).success) return null // an event or another message type
    throw new MalformedPayload('not a robot message')
  }
  const message = parsed.data
  const raw = robotText(message)
  if (raw === null) return null

  const group = message.chattype === 'group'
  if (group && !message.chatid) throw new MalformedPayload('group message without chatid')
  const text = group ? raw.replace(/^[\s\u3000]*@\S+/, '') : raw
  const replyUrl = trustedReplyUrl(message.response_url, options)
  return {
    platform: 'wecom',
    connectionId: options.connectionId,
    chatId: group ? message.chatid! : `single:${message.from.userid}`,
    chatType: group ? 'group' : 'direct',
    sender: { userId: message.from.userid },
    text: collapseWhitespace(text),
    mentions: [],
    messageId: message.msgid,
    ...(replyUrl ? { replyUrl } : {}),
    receivedAt: isoOf(options.receivedAt),
  }
}

// Self-built app callback: XML <xml><ToUserName/><AgentID/><Encrypt/></xml>, or a JSON envelope in
// either spelling (platforms.md §1.3); plaintext is XML (§1.6).
// WeCom's XML is a flat envelope (depth 2) and flat messages (depth 3 at most, From/UserId):
// anything deeper, any DOCTYPE or entity declaration, or a body far beyond a message is hostile.
const MAX_XML_DEPTH = 8
const MAX_XML_CHARS = 64 * 1024
const xml = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false, // MsgId exceeds 2^53: keep every value a string
  parseAttributeValue: false,
  trimValues: true,
  processEntities: false, // no entity expansion (billion laughs), not even the predefined ones
  maxNestedTags: MAX_XML_DEPTH,
})

function parseXml(text: string, what: string): Record<string, unknown> {
  if (text.length > MAX_XML_CHARS) throw new MalformedPayload(`${what} is too large for a WeCom XML message`)
  if (/<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST)/i.test(text)) throw new MalformedPayload(`${what} declares a DOCTYPE or entities`)
  const valid = XMLValidator.validate(text)
  if (valid !== true) throw new MalformedPayload(`${what} is not XML: ${valid.err.msg}`)
  let doc: { xml?: unknown }
  try {
    doc = xml.parse(text) as { xml?: unknown }
  } catch (cause) {
    // Nesting beyond the limit, reserved names (__proto__) and the like.
    throw new MalformedPayload(`${what} is not acceptable XML`, { cause })
  }
  if (typeof doc.xml !== 'object' || doc.xml === null || Array.isArray(doc.xml)) throw new MalformedPayload(`${what} has no single <xml> root`)
  return doc.xml as Record<string, unknown>
}

function appEnvelopeEncrypt(rawBody: Buffer): string {
  const text = rawBody.toString('utf8').trim()
  const fields: Record<string, unknown> = text.startsWith('{')
    ? z.record(z.string(), z.unknown()).catch({}).parse(parseJson(text, 'body'))
    : parseXml(text, 'body')
  const encrypt = fields.Encrypt ?? fields.encrypt
  if (typeof encrypt !== 'string' || encrypt === '') throw new MalformedPayload('body has no Encrypt field')
  return encrypt
}

const appMessage = z.looseObject({
  ToUserName: z.string(),
  FromUserName: z.string().min(1),
  CreateTime: z.string(),
  MsgType: z.string().min(1),
  Content: z.string().optional(),
  MsgId: z.string().optional(),
  AgentID: z.string().optional(),
  Event: z.string().optional(),
})

export interface WecomAppMessage {
  /** Absent for events; dedupe events by fromUser + createTime (platforms.md §1.5). */
  msgId?: string
  toUser: string
  fromUser: string
  createTime: string
  msgType: string
  content?: string
  agentId?: string
  event?: string
}

export function parseWecomAppCallback(rawBody: Buffer, query: QueryBag, creds: WecomInboundCredentials, freshness: WecomFreshness): WecomAppMessage {
  const q = readQuery(signedQuery, query)
  const encrypt = appEnvelopeEncrypt(rawBody)
  checkSignature(creds, q, encrypt, freshness)
  const plain = parseXml(decryptWecom(creds.encodingAESKey, encrypt, creds.receiveId ?? ''), 'decrypted message')
  const parsed = appMessage.safeParse(plain)
  if (!parsed.success) throw new MalformedPayload('decrypted message lacks ToUserName, FromUserName, CreateTime or MsgType')
  const m = parsed.data
  return {
    msgId: m.MsgId,
    toUser: m.ToUserName,
    fromUser: m.FromUserName,
    createTime: m.CreateTime,
    msgType: m.MsgType,
    content: m.Content,
    agentId: m.AgentID,
    event: m.Event,
  }
}

/** App callbacks are members writing to the app: always a direct chat, `single:<userid>`. */
export function wecomAppMessageToChat(message: WecomAppMessage, options: WecomChatOptions): ChatMessage | null {
  if (message.msgType !== 'text' || message.content === undefined || !message.msgId) return null
  return {
    platform: 'wecom',
    connectionId: options.connectionId,
    chatId: `single:${message.fromUser}`,
    chatType: 'direct',
    sender: { userId: message.fromUser },
    text: collapseWhitespace(message.content),
    mentions: [],
    messageId: message.msgId,
    receivedAt: isoOf(options.receivedAt),
  }
}
