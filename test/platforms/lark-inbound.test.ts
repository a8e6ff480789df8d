import * as lark from '@larksuiteoapi/node-sdk'
import { describe, expect, it } from 'vitest'
import { chatMessageSchema } from '../../src/messages/chat-message.ts'
import { BadSignature, MalformedPayload, StaleRequest, WrongToken } from '../../src/platforms/errors.ts'
import {
  LarkDecryptError,
  decryptLarkEvent,
  encryptLarkEvent,
  isFreshTimestamp,
  larkCustomBotSign,
  larkSignature,
  verifyLarkSignature,
} from '../../src/platforms/lark/crypto.ts'
import { larkDedupeKey, larkMessageToChat, parseLarkBody, readLarkRequest } from '../../src/platforms/lark/inbound.ts'
import { catchError, loadVector } from './helpers.ts'

const decryptVectors = loadVector<{ vectors: { id: string; encrypt_key: string; encrypt: string; expected_plaintext: string; expected_http_response_json?: { challenge: string } }[] }>(
  'lark_event_decrypt.json',
)
const signatureVectors = loadVector<{ vectors: { id: string; secret: string; timestamp: string; expected_sign: string }[] }>(
  'lark_signatures.json',
)
const sample = loadVector('sample_lark_im_message_receive_v1_group_mention.json')
const cardSample = loadVector('sample_lark_card_action_trigger.json')

const TOKEN = sample.payload.header.token as string
const KEY = 'frontdesk-encrypt-key'

describe('Lark decryption vectors', () => {
  for (const v of decryptVectors.vectors) {
    it(`${v.id}: decrypts to the expected plaintext`, () => {
      expect(decryptLarkEvent(v.encrypt, v.encrypt_key)).toBe(v.expected_plaintext)
    })
    it(`${v.id}: re-encrypts with the same iv byte for byte`, () => {
      const iv = Buffer.from(v.encrypt, 'base64').subarray(0, 16)
      expect(encryptLarkEvent(v.expected_plaintext, v.encrypt_key, iv)).toBe(v.encrypt)
    })
    if (v.expected_http_response_json) {
      it(`${v.id}: parseLarkBody answers the encrypted challenge`, () => {
        const token = JSON.parse(v.expected_plaintext).token
        const body = Buffer.from(JSON.stringify({ encrypt: v.encrypt }))
        expect(parseLarkBody(body, { encryptKey: v.encrypt_key, verificationToken: token })).toEqual({
          kind: 'challenge',
          challenge: v.expected_http_response_json!.challenge,
        })
      })
    }
  }

  it('rejects truncated ciphertext, bad base64, bad padding and a wrong key', () => {
    const v = decryptVectors.vectors[0]
    const bytes = Buffer.from(v.encrypt, 'base64')
    expect(catchError(() => decryptLarkEvent(bytes.subarray(0, 24).toString('base64'), v.encrypt_key))).toBeInstanceOf(LarkDecryptError)
    expect(catchError(() => decryptLarkEvent(bytes.subarray(0, 16).toString('base64'), v.encrypt_key))).toBeInstanceOf(LarkDecryptError)
    expect(catchError(() => decryptLarkEvent('%%%not-base64%%%', v.encrypt_key))).toBeInstanceOf(LarkDecryptError)
    const tampered = Buffer.from(bytes)
    tampered[tampered.length - 1] ^= 0xff // the last block decrypts to garbage padding
    expect(catchError(() => decryptLarkEvent(tampered.toString('base64'), v.encrypt_key))).toBeInstanceOf(LarkDecryptError)
    expect(catchError(() => decryptLarkEvent(v.encrypt, 'wrong key'))).toBeInstanceOf(LarkDecryptError)
  })

  it('agrees with the SDK AESCipher on a fresh ciphertext', () => {
    const plaintext = JSON.stringify({ hello: '你好' })
    expect(new lark.AESCipher(KEY).decrypt(encryptLarkEvent(plaintext, KEY))).toBe(plaintext)
  })

  it('decrypts what OpenSSL encrypts with every padding length, a whole block of it included', () => {
    for (let length = 0; length <= 48; length++) {
      const plaintext = 'x'.repeat(length)
      expect(decryptLarkEvent(encryptLarkEvent(plaintext, KEY), KEY)).toBe(plaintext)
    }
  })
})

describe('Lark signatures', () => {
  for (const v of signatureVectors.vectors) {
    it(`${v.id}: custom-bot sign`, () => expect(larkCustomBotSign(v.timestamp, v.secret)).toBe(v.expected_sign))
  }

  const rawBody = Buffer.from(JSON.stringify(sample.payload))
  const input = { timestamp: '1608725989', nonce: 'nonce-1', encryptKey: KEY, rawBody }

  it('accepts the signature node-sdk 1.74.0 accepts (compact body)', async () => {
    const signature = larkSignature(input.timestamp, input.nonce, KEY, rawBody)
    expect(verifyLarkSignature({ ...input, signature })).toBe(true)
    let handled = false
    const dispatcher = new lark.EventDispatcher({ encryptKey: KEY, loggerLevel: lark.LoggerLevel.error }).register({
      'im.message.receive_v1': async () => {
        handled = true
        return 'ok'
      },
    })
    const headers = { 'x-lark-request-timestamp': input.timestamp, 'x-lark-request-nonce': input.nonce, 'x-lark-signature': signature }
    await dispatcher.invoke(Object.assign(Object.create({ headers }), sample.payload))
    expect(handled).toBe(true)
  })

  it('signs raw bytes: the same JSON with whitespace has another signature', () => {
    const pretty = Buffer.from(JSON.stringify(sample.payload, null, 2))
    const signature = larkSignature(input.timestamp, input.nonce, KEY, rawBody)
    expect(verifyLarkSignature({ ...input, rawBody: pretty, signature })).toBe(false)
  })

  it('rejects a wrong, truncated or non-hex signature', () => {
    const signature = larkSignature(input.timestamp, input.nonce, KEY, rawBody)
    expect(verifyLarkSignature({ ...input, signature: signature.replace(/^./, (c) => (c === '0' ? '1' : '0')) })).toBe(false)
    expect(verifyLarkSignature({ ...input, signature: signature.slice(0, 62) })).toBe(false)
    expect(verifyLarkSignature({ ...input, signature: 'g'.repeat(64) })).toBe(false)
    expect(verifyLarkSignature({ ...input, encryptKey: 'other', signature })).toBe(false)
  })

  it('checks the timestamp window', () => {
    const now = new Date(1608725989_000)
    expect(isFreshTimestamp('1608725989', now)).toBe(true)
    expect(isFreshTimestamp('1608726289', now)).toBe(true)
    expect(isFreshTimestamp('1608726290', now)).toBe(false)
    expect(isFreshTimestamp('1608725689', now)).toBe(true)
    expect(isFreshTimestamp('1608725688', now)).toBe(false)
    expect(isFreshTimestamp('', now)).toBe(false)
    expect(isFreshTimestamp('16087e5989', now)).toBe(false)
  })
})

describe('parseLarkBody / readLarkRequest', () => {
  const creds = { encryptKey: KEY, verificationToken: TOKEN }
  const plainCreds = { verificationToken: TOKEN }

  it('answers a plain url_verification', () => {
    const body = Buffer.from(JSON.stringify({ challenge: 'ajls384kdjxxxx', token: TOKEN, type: 'url_verification' }))
    expect(parseLarkBody(body, plainCreds)).toEqual({ kind: 'challenge', challenge: 'ajls384kdjxxxx' })
  })

  it('rejects a challenge with the wrong token', () => {
    const body = Buffer.from(JSON.stringify({ challenge: 'c', token: 'nope', type: 'url_verification' }))
    expect(catchError(() => parseLarkBody(body, plainCreds))).toBeInstanceOf(WrongToken)
  })

  it('reads the plain v2 sample event', () => {
    const result = parseLarkBody(Buffer.from(JSON.stringify(sample.payload)), plainCreds)
    expect(result).toMatchObject({
      kind: 'event',
      eventId: sample.expected_parse.event_id,
      eventType: sample.expected_parse.event_type,
      token: TOKEN,
      event: sample.payload.event,
    })
  })

  it('reads the card.action.trigger sample as an event', () => {
    const body = Buffer.from(JSON.stringify(cardSample.payload))
    const result = parseLarkBody(body, { verificationToken: cardSample.payload.header.token })
    expect(result).toMatchObject({ kind: 'event', eventType: 'card.action.trigger', eventId: cardSample.payload.header.event_id })
  })

  it('reads a v1 event (uuid, event.type)', () => {
    const body = Buffer.from(JSON.stringify({ uuid: 'u-1', token: TOKEN, ts: '1', type: 'event_callback', event: { type: 'message' } }))
    expect(parseLarkBody(body, plainCreds)).toMatchObject({ kind: 'event', eventId: 'u-1', eventType: 'message' })
  })

  it('decrypts an encrypted event and checks its token', () => {
    const body = Buffer.from(JSON.stringify({ encrypt: encryptLarkEvent(JSON.stringify(sample.payload), KEY) }))
    expect(parseLarkBody(body, creds)).toMatchObject({ kind: 'event', eventId: sample.payload.header.event_id })
    expect(catchError(() => parseLarkBody(body, { ...creds, verificationToken: 'other-token' }))).toBeInstanceOf(WrongToken)
    expect(catchError(() => parseLarkBody(body, { ...creds, encryptKey: 'other key' }))).toBeInstanceOf(LarkDecryptError)
  })

  it('rejects malformed bodies with MalformedPayload', () => {
    for (const text of ['{', '[]', '"x"', '{"schema":"2.0"}', JSON.stringify({ encrypt: encryptLarkEvent('not json', KEY) })]) {
      expect(catchError(() => parseLarkBody(Buffer.from(text), creds))).toBeInstanceOf(MalformedPayload)
    }
  })

  function signedRequest(payload: unknown, timestamp: string) {
    const rawBody = Buffer.from(JSON.stringify({ encrypt: encryptLarkEvent(JSON.stringify(payload), KEY) }))
    const headers = {
      'x-lark-request-timestamp': timestamp,
      'x-lark-request-nonce': 'n1',
      'x-lark-signature': larkSignature(timestamp, 'n1', KEY, rawBody),
    }
    return { rawBody, headers }
  }

  it('readLarkRequest: signed and fresh → event; bad signature → BadSignature; stale → StaleRequest', () => {
    const now = new Date('2026-11-23T02:00:00Z')
    const ts = String(now.getTime() / 1000)
    const ok = signedRequest(sample.payload, ts)
    expect(readLarkRequest(ok.rawBody, ok.headers, creds, now)).toMatchObject({ kind: 'event' })

    const forged = { ...ok.headers, 'x-lark-signature': larkSignature(ts, 'n2', KEY, ok.rawBody) }
    expect(catchError(() => readLarkRequest(ok.rawBody, forged, creds, now))).toBeInstanceOf(BadSignature)
    expect(catchError(() => readLarkRequest(ok.rawBody, {}, creds, now))).toBeInstanceOf(BadSignature)

    const stale = signedRequest(sample.payload, String(now.getTime() / 1000 - 301))
    expect(catchError(() => readLarkRequest(stale.rawBody, stale.headers, creds, now))).toBeInstanceOf(StaleRequest)
  })

  it('readLarkRequest checks the signature before decrypting: a forged body is refused as unsigned, never decrypted', () => {
    const now = new Date('2026-11-23T02:00:00Z')
    const ts = String(now.getTime() / 1000)
    // Ciphertext under another key: decrypting it would fail with LarkDecryptError.
    const forgedBody = Buffer.from(JSON.stringify({ encrypt: encryptLarkEvent(JSON.stringify(sample.payload), 'attacker key') }))
    const headers = { 'x-lark-request-timestamp': ts, 'x-lark-request-nonce': 'n1', 'x-lark-signature': 'a'.repeat(64) }
    expect(catchError(() => readLarkRequest(forgedBody, headers, creds, now))).toBeInstanceOf(BadSignature)
    // Same for a stale, correctly signed request: refused before its body is read.
    const staleGarbage = Buffer.from('{"encrypt":"!!!"}')
    const old = String(now.getTime() / 1000 - 3600)
    const staleHeaders = { 'x-lark-request-timestamp': old, 'x-lark-request-nonce': 'n1', 'x-lark-signature': larkSignature(old, 'n1', KEY, staleGarbage) }
    expect(catchError(() => readLarkRequest(staleGarbage, staleHeaders, creds, now))).toBeInstanceOf(StaleRequest)
    // An unsigned body may only be the URL challenge.
    const unsignedEvent = Buffer.from(JSON.stringify({ encrypt: encryptLarkEvent(JSON.stringify(sample.payload), KEY) }))
    expect(catchError(() => readLarkRequest(unsignedEvent, {}, creds, now))).toBeInstanceOf(BadSignature)
  })

  it('larkDedupeKey: per connection, by message_id when there is one, else by event_id', () => {
    expect(larkDedupeKey('conn-a', 'ev-1', 'om_1')).toBe(larkDedupeKey('conn-a', 'ev-2', 'om_1'))
    expect(larkDedupeKey('conn-a', 'ev-1', 'om_1')).not.toBe(larkDedupeKey('conn-b', 'ev-1', 'om_1'))
    expect(larkDedupeKey('conn-a', 'ev-1')).not.toBe(larkDedupeKey('conn-b', 'ev-1'))
    expect(larkDedupeKey('conn-a', 'ev-1')).not.toBe(larkDedupeKey('conn-a', 'ev-2'))
  })

  it('readLarkRequest: the challenge needs no signature headers', () => {
    const rawBody = Buffer.from(JSON.stringify({ encrypt: encryptLarkEvent(JSON.stringify({ challenge: 'c1', token: TOKEN, type: 'url_verification' }), KEY) }))
    expect(readLarkRequest(rawBody, {}, creds, new Date())).toEqual({ kind: 'challenge', challenge: 'c1' })
  })
})

describe('larkMessageToChat', () => {
  const event = sample.payload.event
  const tom = sample.expected_parse.sender_open_id as string
  const receivedAt = new Date('2026-11-23T02:00:00Z')
  const withMessage = (patch: Record<string, unknown>) => ({ ...event, message: { ...event.message, ...patch } })

  it('maps the sample when the mentioned member is the bot', () => {
    const chat = larkMessageToChat(event, { connectionId: 'conn-1', botOpenId: tom, receivedAt })
    expect(chat).toEqual({
      platform: 'lark',
      connectionId: 'conn-1',
      chatId: sample.expected_parse.chat_id,
      chatType: 'group',
      sender: { userId: sample.expected_parse.sender_open_id },
      text: sample.expected_parse.text_without_mentions,
      mentions: [],
      messageId: event.message.message_id,
      receivedAt: '2026-11-23T02:00:00.000Z',
    })
    expect(chatMessageSchema.safeParse(chat).success).toBe(true)
  })

  it('ignores a group message that mentions someone else', () => {
    expect(larkMessageToChat(event, { connectionId: 'c', botOpenId: 'ou_bot', receivedAt })).toBeNull()
    // Without botOpenId, Tom has a user_id, so he is a person, not the bot.
    expect(larkMessageToChat(event, { connectionId: 'c', receivedAt })).toBeNull()
  })

  it('removes the bot mention and keeps other mentions as @Name', () => {
    const message = withMessage({
      content: JSON.stringify({ text: '@_user_1  派单   @_user_2 @_user_10\u3000 #1023 @_all' }),
      mentions: [
        { key: '@_user_1', id: { open_id: 'ou_bot' }, name: '前台' },
        { key: '@_user_2', id: { open_id: 'ou_li', user_id: 'li' }, name: '李师傅' },
        { key: '@_user_10', id: { open_id: 'ou_wang', user_id: 'wang' }, name: '王师傅' },
      ],
    })
    const chat = larkMessageToChat(message, { connectionId: null, receivedAt: '2026-11-23T02:00:00.000Z' })
    expect(chat?.text).toBe('派单 @李师傅 @王师傅 #1023 @所有人')
    expect(chat?.mentions).toEqual([
      { userId: 'ou_li', name: '李师傅' },
      { userId: 'ou_wang', name: '王师傅' },
    ])
  })

  it('accepts direct chats without a mention and keeps line breaks', () => {
    const chat = larkMessageToChat(withMessage({ chat_type: 'p2p', content: JSON.stringify({ text: ' 报修\n\n 3-2-501  漏水 ' }), mentions: undefined }), {
      connectionId: 'c',
      receivedAt,
    })
    expect(chat).toMatchObject({ chatType: 'direct', text: '报修\n3-2-501 漏水' })
  })

  it('flattens a simple post', () => {
    const content = {
      title: '',
      content: [
        [{ tag: 'at', user_id: '@_user_1', user_name: '前台' }, { tag: 'text', text: ' 报修 ' }, { tag: 'a', text: '3-2-501', href: 'https://x' }],
        [{ tag: 'text', text: '漏水' }, { tag: 'img', image_key: 'img_1' }],
      ],
    }
    const message = withMessage({
      message_type: 'post',
      content: JSON.stringify(content),
      mentions: [{ key: '@_user_1', id: { open_id: 'ou_bot' }, name: '前台', mentioned_type: 'bot' }],
    })
    expect(larkMessageToChat(message, { connectionId: 'c', receivedAt })?.text).toBe('报修 3-2-501\n漏水')
  })

  it('ignores images, bot senders and throws on a malformed event', () => {
    expect(larkMessageToChat(withMessage({ message_type: 'image', content: '{"image_key":"k"}' }), { connectionId: 'c', botOpenId: tom, receivedAt })).toBeNull()
    expect(larkMessageToChat({ ...event, sender: { ...event.sender, sender_type: 'app' } }, { connectionId: 'c', botOpenId: tom, receivedAt })).toBeNull()
    expect(catchError(() => larkMessageToChat({ message: {} }, { connectionId: 'c', receivedAt }))).toBeInstanceOf(MalformedPayload)
    expect(catchError(() => larkMessageToChat(withMessage({ content: '{' }), { connectionId: 'c', botOpenId: tom, receivedAt }))).toBeInstanceOf(MalformedPayload)
  })
})
