import { timingSafeEqual } from 'node:crypto'
import { z } from 'zod'
import type { ChatMessage } from '../../messages/chat-message.ts'
import { BadSignature, MalformedPayload, StaleRequest, WrongToken } from '../errors.ts'
import { decryptLarkEvent, isFreshTimestamp, verifyLarkSignature } from './crypto.ts'

export interface LarkInboundCredentials {
  encryptKey?: string
  verificationToken: string
}

export type LarkBody =
  | { kind: 'challenge'; challenge: string }
  | {
      kind: 'event'
      /** header.event_id (v2) or uuid (v1) (platforms.md §3.6); the inbox key is larkDedupeKey. */
      eventId: string
      eventType: string
      event: Record<string, unknown>
      token: string
      /** The v2 header as sent (app_id, tenant_key, create_time…); empty for v1 events. */
      header: Record<string, unknown>
    }

const challengeSchema = z.object({ type: z.literal('url_verification'), challenge: z.string(), token: z.string() })

interface V2Envelope {
  header: Record<string, unknown> & { event_id: string; event_type: string; token: string }
  event: Record<string, unknown>
}

/**
 * Schema 2.0 envelope (platforms.md §3.3), checked by hand: it is read on every delivery, and a
 * zod object schema would copy the whole event to check three header strings.
 */
function asV2Envelope(body: Record<string, unknown>): V2Envelope | null {
  if (body.schema !== '2.0' || !isPlainObject(body.header) || !isPlainObject(body.event)) return null
  const { event_id, event_type, token } = body.header
  if (typeof event_id !== 'string' || event_id === '' || typeof event_type !== 'string' || event_type === '' || typeof token !== 'string') return null
  return body as unknown as V2Envelope
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

// v1 events: no schema; uuid, token, type "event_callback", event.type (platforms.md §3.3).
const v1Schema = z.object({
  uuid: z.string().min(1),
  token: z.string(),
  type: z.literal('event_callback'),
  event: z.looseObject({ type: z.string().min(1) }),
})

function parseJsonObject(text: string, what: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (cause) {
    throw new MalformedPayload(`${what} is not JSON`, { cause })
  }
  if (!isPlainObject(value)) throw new MalformedPayload(`${what} is not a JSON object`)
  return value
}

const ENVELOPE_START = Buffer.from('{"encrypt":"')
const QUOTE = 0x22
const BACKSLASH = 0x5c
const CLOSING_BRACE = 0x7d

/**
 * The `encrypt` string of a body that is exactly {"encrypt":"…"}, as Lark sends it, read from the
 * bytes without a JSON parse; null for any other body (which goes through JSON.parse). Without a
 * quote or backslash inside, the bytes between the quotes are the string (base64 is ASCII, and
 * decryption refuses anything that is not strict base64).
 */
function encryptedEnvelope(raw: Buffer): string | null {
  const end = raw.length - 2
  if (end < ENVELOPE_START.length || raw[end] !== QUOTE || raw[end + 1] !== CLOSING_BRACE) return null
  if (ENVELOPE_START.compare(raw, 0, ENVELOPE_START.length) !== 0) return null
  const inner = raw.subarray(ENVELOPE_START.length, end)
  if (inner.includes(QUOTE) || inner.includes(BACKSLASH)) return null
  return inner.toString('latin1')
}

/** The configured tokens as bytes, made once each: every delivery compares against one. */
const expectedBytes = new Map<string, Buffer>()

/**
 * Constant-time string equality. timingSafeEqual needs equal lengths: a token of another length
 * is compared as the expected one against itself, so the time depends on neither (a digest of
 * each side did the same at the price of a sha256 per delivery).
 */
function sameSecret(given: string, expected: string): boolean {
  let expectedBuffer = expectedBytes.get(expected)
  if (!expectedBuffer) {
    if (expectedBytes.size >= 1000) expectedBytes.clear()
    expectedBytes.set(expected, (expectedBuffer = Buffer.from(expected, 'utf8')))
  }
  const givenBuffer = Buffer.from(given, 'utf8')
  const sameLength = givenBuffer.length === expectedBuffer.length
  return timingSafeEqual(sameLength ? givenBuffer : expectedBuffer, expectedBuffer) && sameLength
}

function checkToken(token: string, creds: LarkInboundCredentials): void {
  if (!sameSecret(token, creds.verificationToken)) throw new WrongToken('verification token does not match')
}

/**
 * Reads a Lark webhook body: decrypts `{encrypt}` when present, answers url_verification (plain or
 * encrypted), and checks the Verification Token of every body (platforms.md §3.2–3.4).
 * The X-Lark-Signature check needs the headers: use readLarkRequest, or call verifyLarkSignature for events.
 */
export function parseLarkBody(rawBody: Buffer, creds: LarkInboundCredentials): LarkBody {
  const encrypted = encryptedEnvelope(rawBody)
  let body = encrypted === null ? parseJsonObject(rawBody.toString('utf8'), 'body') : { encrypt: encrypted }
  if (typeof body.encrypt === 'string') {
    if (!creds.encryptKey) throw new MalformedPayload('encrypted body but no Encrypt Key is configured')
    body = parseJsonObject(decryptLarkEvent(body.encrypt, creds.encryptKey), 'decrypted body')
  }

  if (body.type === 'url_verification') {
    const challenge = challengeSchema.safeParse(body)
    if (!challenge.success) throw new MalformedPayload('url_verification without challenge or token')
    checkToken(challenge.data.token, creds)
    return { kind: 'challenge', challenge: challenge.data.challenge }
  }

  const v2 = asV2Envelope(body)
  if (v2) {
    const { header, event } = v2
    checkToken(header.token, creds)
    return { kind: 'event', eventId: header.event_id, eventType: header.event_type, event, token: header.token, header }
  }
  const v1 = v1Schema.safeParse(body)
  if (v1.success) {
    checkToken(v1.data.token, creds)
    const { uuid, token, event } = v1.data
    return { kind: 'event', eventId: uuid, eventType: event.type, event, token, header: {} }
  }
  throw new MalformedPayload('neither url_verification nor a schema 2.0 / v1 event')
}

type HeaderBag = Record<string, string | string[] | undefined>

function headerValue(headers: HeaderBag, name: string): string {
  const value = headers[name]
  return (Array.isArray(value) ? value[0] : value) ?? ''
}

/**
 * The whole inbound check for a webhook route. Whenever an Encrypt Key is configured, a signed
 * request's signature and timestamp are checked over the raw bytes before anything is parsed or
 * decrypted, so forged bodies never reach the decrypter. Only the URL challenge comes unsigned
 * (platforms.md §3.2, §3.5): an unsigned body is read for it and refused if it is anything else.
 * Headers are Node's lowercase header bag.
 */
export function readLarkRequest(
  rawBody: Buffer,
  headers: HeaderBag,
  creds: LarkInboundCredentials,
  now: Date,
  toleranceSeconds = 300,
): LarkBody {
  if (!creds.encryptKey) return parseLarkBody(rawBody, creds)
  const signature = headerValue(headers, 'x-lark-signature')
  if (signature === '') {
    const body = parseLarkBody(rawBody, creds)
    if (body.kind !== 'challenge') throw new BadSignature('event without X-Lark-Signature')
    return body
  }
  const timestamp = headerValue(headers, 'x-lark-request-timestamp')
  const nonce = headerValue(headers, 'x-lark-request-nonce')
  if (!verifyLarkSignature({ timestamp, nonce, signature, encryptKey: creds.encryptKey, rawBody })) {
    throw new BadSignature('X-Lark-Signature mismatch')
  }
  if (!isFreshTimestamp(timestamp, now, toleranceSeconds)) throw new StaleRequest('X-Lark-Request-Timestamp outside the window')
  return parseLarkBody(rawBody, creds)
}

/**
 * The inbox key of a Lark delivery, per connection (two apps may see the same ids). A message is
 * keyed by its message_id, so a resend under a new event_id still runs once (platforms.md §3.6,
 * §6: message_id as the second key); anything else by its event_id. Webhook and long connection
 * use the same scheme, so a message that arrives both ways is handled once.
 */
export function larkDedupeKey(connectionId: string, eventId: string, messageId?: string): string {
  return messageId ? `${connectionId}:message:${messageId}` : `${connectionId}:event:${eventId}`
}

// im.message.receive_v1 event (platforms.md §3.7): the fields frontdesk reads.
interface LarkUserId {
  open_id?: string
  user_id?: string
  union_id?: string
}
interface LarkMention {
  key: string
  id: LarkUserId
  name: string
  mentioned_type?: string
}
interface LarkMessageEvent {
  sender: { sender_id: LarkUserId; sender_type?: string }
  message: { message_id: string; chat_id: string; chat_type: string; message_type: string; content: string; mentions?: LarkMention[] }
}

const isOptionalString = (value: unknown): value is string | undefined => value === undefined || typeof value === 'string'
const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value !== ''

function readUserId(value: unknown): LarkUserId | null {
  if (!isPlainObject(value)) return null
  const { open_id, user_id, union_id } = value
  return isOptionalString(open_id) && isOptionalString(user_id) && isOptionalString(union_id) ? { open_id, user_id, union_id } : null
}

function readMention(value: unknown): LarkMention | null {
  if (!isPlainObject(value) || typeof value.key !== 'string' || !isOptionalString(value.mentioned_type)) return null
  const id = value.id === undefined ? {} : readUserId(value.id)
  const name = value.name ?? ''
  if (!id || typeof name !== 'string') return null
  return { key: value.key, id, name, mentioned_type: value.mentioned_type }
}

/**
 * The event checked by hand, like the envelope: every delivery is read here, and a schema
 * library would copy the whole event to check these fields. null when one is missing or mistyped.
 */
function readMessageEvent(event: unknown): LarkMessageEvent | null {
  if (!isPlainObject(event) || !isPlainObject(event.sender) || !isPlainObject(event.message)) return null
  const { sender_id, sender_type } = event.sender
  const senderId = readUserId(sender_id)
  if (!senderId || !isOptionalString(sender_type)) return null
  const { message_id, chat_id, chat_type, message_type, content, mentions } = event.message
  if (!isNonEmptyString(message_id) || !isNonEmptyString(chat_id) || typeof chat_type !== 'string' || typeof message_type !== 'string' || typeof content !== 'string') return null
  let readMentions: LarkMention[] | undefined
  if (mentions !== undefined) {
    if (!Array.isArray(mentions)) return null
    readMentions = []
    for (const mention of mentions) {
      const read = readMention(mention)
      if (!read) return null
      readMentions.push(read)
    }
  }
  return { sender: { sender_id: senderId, sender_type }, message: { message_id, chat_id, chat_type, message_type, content, mentions: readMentions } }
}

export interface LarkChatOptions {
  connectionId: string | null
  /** The bot's own open_id (GET /open-apis/bot/v3/info). */
  botOpenId?: string
  receivedAt: Date | string
}

/**
 * Is this mention the bot? With botOpenId: compare open_ids (as node-sdk's Channel does, §3.7).
 * Without it: a mention typed `mentioned_type: "bot"`, or, when that field is absent, one without a
 * user_id (bots have no user_id). Note: without the contact:user.employee_id:readonly permission
 * users lack user_id too, so configure botOpenId in production.
 */
function isBotMention(mention: LarkMention, botOpenId: string | undefined): boolean {
  if (mention.key === '@_all') return false
  if (botOpenId) return mention.id.open_id === botOpenId
  if (mention.mentioned_type !== undefined) return mention.mentioned_type === 'bot'
  return !mention.id.user_id
}

/** Plain text of a received post: paragraphs of text / a / at elements, one line each (platforms.md L-content). */
function flattenPost(content: Record<string, unknown>): string | null {
  const localized = (Array.isArray(content.content) ? content : Object.values(content).find((v) => typeof v === 'object')) as
    | { title?: unknown; content?: unknown }
    | undefined
  if (!localized || !Array.isArray(localized.content)) return null
  const lines: string[] = []
  for (const paragraph of localized.content) {
    if (!Array.isArray(paragraph)) continue
    let line = ''
    for (const element of paragraph as Record<string, unknown>[]) {
      if ((element.tag === 'text' || element.tag === 'a') && typeof element.text === 'string') line += element.text
      // Received posts carry the mention key ("@_user_1") in user_id, like text placeholders.
      else if (element.tag === 'at' && typeof element.user_id === 'string') line += ` ${element.user_id} `
    }
    lines.push(line)
  }
  return lines.join('\n')
}

/** Collapses runs of spaces (incl. full-width) inside lines, trims lines and drops empty ones; keeps line breaks. */
export function collapseWhitespace(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/[\s\u3000]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n')
}

function messageText(messageType: string, content: string): string | null {
  let parsed: unknown
  try {
    parsed = JSON.parse(content)
  } catch (cause) {
    throw new MalformedPayload('message.content is not JSON', { cause })
  }
  if (typeof parsed !== 'object' || parsed === null) throw new MalformedPayload('message.content is not an object')
  if (messageType === 'text') {
    const text = (parsed as { text?: unknown }).text
    return typeof text === 'string' ? text : null
  }
  if (messageType === 'post') return flattenPost(parsed as Record<string, unknown>)
  return null
}

/**
 * Maps an im.message.receive_v1 `event` to a ChatMessage, or null when frontdesk should ignore it:
 * not a text/post message, not sent by a user, or a group message that does not @-mention the bot.
 * Direct (p2p) chats are always accepted.
 */
export function larkMessageToChat(event: unknown, options: LarkChatOptions): ChatMessage | null {
  const parsed = readMessageEvent(event)
  if (!parsed) throw new MalformedPayload('not an im.message.receive_v1 event')
  const { sender, message } = parsed
  if (sender.sender_type !== undefined && sender.sender_type !== 'user') return null
  const senderId = sender.sender_id.open_id
  if (!senderId) throw new MalformedPayload('sender has no open_id')

  const raw = messageText(message.message_type, message.content)
  if (raw === null) return null

  const mentionsByKey = new Map((message.mentions ?? []).map((m) => [m.key, m]))
  const chatType = message.chat_type === 'p2p' ? 'direct' : 'group'
  const botMentioned = [...mentionsByKey.values()].some((m) => isBotMention(m, options.botOpenId))
  if (chatType === 'group' && !botMentioned) return null

  const mentions: ChatMessage['mentions'] = []
  const text = raw.replace(/@_user_\d+|@_all/g, (key) => {
    if (key === '@_all') return '@所有人'
    const mention = mentionsByKey.get(key)
    if (!mention) return key
    if (isBotMention(mention, options.botOpenId)) return ' '
    const userId = mention.id.open_id ?? ''
    if (userId && !mentions.some((m) => m.userId === userId)) mentions.push({ userId, name: mention.name })
    return `@${mention.name}`
  })

  return {
    platform: 'lark',
    connectionId: options.connectionId,
    chatId: message.chat_id,
    chatType,
    sender: { userId: senderId },
    text: collapseWhitespace(text),
    mentions,
    messageId: message.message_id,
    receivedAt: typeof options.receivedAt === 'string' ? options.receivedAt : options.receivedAt.toISOString(),
  }
}
