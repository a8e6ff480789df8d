import { describe, expect, it } from 'vitest'
import { chatMessageSchema } from '../../src/messages/chat-message.ts'
import { BadSignature, MalformedPayload, WrongToken } from '../../src/platforms/errors.ts'
import { encryptWecom, wecomSignature } from '../../src/platforms/wecom/crypto.ts'
import {
  parseWecomAppCallback,
  parseWecomRobotBody,
  wecomAppMessageToChat,
  wecomRobotMessageToChat,
} from '../../src/platforms/wecom/inbound.ts'
import { catchError, loadVector } from './helpers.ts'

const app = loadVector('sample_wecom_app_callback_text.json')
const robot = loadVector('sample_wecom_group_robot_callback_text.json')
const receivedAt = new Date('2026-11-23T02:00:00Z')

describe('self-built app callback (sample_wecom_app_callback_text.json)', () => {
  const ex = app.encrypted_example
  const creds = { token: ex.token, encodingAESKey: ex.encoding_aes_key, receiveId: ex.corpid }

  it('verifies, decrypts and parses the official XML example, MsgId as a string', () => {
    const message = parseWecomAppCallback(Buffer.from(ex.body), ex.query, creds)
    const expected = app.expected_parse
    expect(message).toEqual({
      msgId: expected.MsgId,
      toUser: expected.ToUserName,
      fromUser: expected.FromUserName,
      createTime: expected.CreateTime,
      msgType: expected.MsgType,
      content: expected.Content,
      agentId: expected.AgentID,
      event: undefined,
    })
    const chat = wecomAppMessageToChat(message, { connectionId: 'conn-w', receivedAt })
    expect(chat).toEqual({
      platform: 'wecom',
      connectionId: 'conn-w',
      chatId: 'single:mycreate',
      chatType: 'direct',
      sender: { userId: 'mycreate' },
      text: 'hello',
      mentions: [],
      messageId: '4561255354251345929',
      receivedAt: '2026-11-23T02:00:00.000Z',
    })
    expect(chatMessageSchema.safeParse(chat).success).toBe(true)
  })

  it('accepts JSON envelopes in both spellings', () => {
    const encrypt = /<Encrypt><!\[CDATA\[(.*?)\]\]><\/Encrypt>/.exec(ex.body)![1]
    for (const body of [{ ToUserName: ex.corpid, AgentID: '218', Encrypt: encrypt }, { tousername: ex.corpid, agentid: '218', encrypt }]) {
      expect(parseWecomAppCallback(Buffer.from(JSON.stringify(body)), ex.query, creds).msgId).toBe('4561255354251345929')
    }
  })

  it('parses the doc template plaintext (CDATA and bare values)', () => {
    const encrypt = encryptWecom(ex.encoding_aes_key, app.doc_template_plaintext_xml, ex.corpid)
    const query = { timestamp: '1700000000', nonce: 'n', msg_signature: wecomSignature(ex.token, '1700000000', 'n', encrypt) }
    const body = `<xml><ToUserName><![CDATA[${ex.corpid}]]></ToUserName><AgentID><![CDATA[1]]></AgentID><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`
    expect(parseWecomAppCallback(Buffer.from(body), query, creds)).toMatchObject({
      msgId: '1234567890123456',
      fromUser: 'fromUser',
      createTime: '1348831860',
      content: 'this is a test',
    })
  })

  it('rejects a bad signature (401 family), a wrong CorpID, and malformed bodies (400 family)', () => {
    expect(catchError(() => parseWecomAppCallback(Buffer.from(ex.body), { ...ex.query, timestamp: '1409659814' }, creds))).toBeInstanceOf(BadSignature)
    expect(catchError(() => parseWecomAppCallback(Buffer.from(ex.body), ex.query, { ...creds, receiveId: 'wx_other' }))).toBeInstanceOf(WrongToken)
    for (const body of ['<xml><Encrypt>', '<xml></xml>', '{"Encrypt":', '{}', '']) {
      expect(catchError(() => parseWecomAppCallback(Buffer.from(body), ex.query, creds))).toBeInstanceOf(MalformedPayload)
    }
    const { nonce: _n, ...noNonce } = ex.query
    expect(catchError(() => parseWecomAppCallback(Buffer.from(ex.body), noNonce, creds))).toBeInstanceOf(MalformedPayload)
  })

  it('ignores events and non-text messages', () => {
    const base = parseWecomAppCallback(Buffer.from(ex.body), ex.query, creds)
    expect(wecomAppMessageToChat({ ...base, msgType: 'image', content: undefined }, { connectionId: null, receivedAt })).toBeNull()
    expect(wecomAppMessageToChat({ ...base, msgType: 'event', msgId: undefined, event: 'enter_agent' }, { connectionId: null, receivedAt })).toBeNull()
  })
})

describe('intelligent robot callback (sample_wecom_group_robot_callback_text.json)', () => {
  const creds = { token: 'robotToken123', encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', receiveId: '' }

  function push(plain: unknown, token = creds.token) {
    const encrypt = encryptWecom(creds.encodingAESKey, JSON.stringify(plain), '')
    const query = { timestamp: '1763863200', nonce: 'abc', msg_signature: wecomSignature(token, '1763863200', 'abc', encrypt) }
    return { rawBody: Buffer.from(JSON.stringify({ encrypt })), query }
  }

  it('verifies, decrypts and maps the official group text message', () => {
    const { rawBody, query } = push(robot.aibot_json_text)
    const { msgid, message } = parseWecomRobotBody(rawBody, query, creds)
    expect(msgid).toBe(robot.aibot_json_text.msgid)
    expect(message).toEqual(robot.aibot_json_text)
    const chat = wecomRobotMessageToChat(message, { connectionId: 'conn-r', receivedAt })
    expect(chat).toEqual({
      platform: 'wecom',
      connectionId: 'conn-r',
      chatId: 'CHATID',
      chatType: 'group',
      sender: { userId: 'USERID' },
      text: 'hello robot',
      mentions: [],
      messageId: robot.aibot_json_text.msgid,
      replyUrl: 'RESPONSEURL',
      receivedAt: '2026-11-23T02:00:00.000Z',
    })
    expect(chatMessageSchema.safeParse(chat).success).toBe(true)
  })

  it('maps single chats to single:<userid> without stripping an @', () => {
    const { chatid: _c, ...single } = { ...robot.aibot_json_text, chattype: 'single', text: { content: '@张三 的报修 #1023' } }
    expect(wecomRobotMessageToChat(single, { connectionId: null, receivedAt })).toMatchObject({
      chatId: 'single:USERID',
      chatType: 'direct',
      text: '@张三 的报修 #1023',
    })
  })

  it('only strips the first @token in groups and keeps other mentions as text', () => {
    const message = { ...robot.aibot_json_text, text: { content: '@前台  派单 @李师傅  #1023' } }
    expect(wecomRobotMessageToChat(message, { connectionId: null, receivedAt })?.text).toBe('派单 @李师傅 #1023')
  })

  it('reads the text items of a mixed message and ignores events', () => {
    const mixed = {
      ...robot.aibot_json_text,
      msgtype: 'mixed',
      text: undefined,
      mixed: { msg_item: [{ msgtype: 'text', text: { content: '@RobotA 报修 漏水' } }, { msgtype: 'image', image: { url: 'u' } }] },
    }
    expect(wecomRobotMessageToChat(mixed, { connectionId: null, receivedAt })?.text).toBe('报修 漏水')
    const event = { msgid: 'e1', aibotid: 'A', from: { userid: 'u' }, msgtype: 'event', event: { eventtype: 'enter_chat' } }
    expect(wecomRobotMessageToChat(event, { connectionId: null, receivedAt })).toBeNull()
  })

  it('rejects a bad signature, a non-empty receive id and malformed bodies', () => {
    const signedByOther = push(robot.aibot_json_text, 'otherToken')
    expect(catchError(() => parseWecomRobotBody(signedByOther.rawBody, signedByOther.query, creds))).toBeInstanceOf(BadSignature)
    const ok = push(robot.aibot_json_text)
    expect(catchError(() => parseWecomRobotBody(ok.rawBody, ok.query, { ...creds, receiveId: 'corp' }))).toBeInstanceOf(WrongToken)
    expect(catchError(() => parseWecomRobotBody(Buffer.from('not json'), ok.query, creds))).toBeInstanceOf(MalformedPayload)
    expect(catchError(() => parseWecomRobotBody(Buffer.from('{"Encrypt":1}'), ok.query, creds))).toBeInstanceOf(MalformedPayload)
    const noMsgid = push({ msgtype: 'text' })
    expect(catchError(() => parseWecomRobotBody(noMsgid.rawBody, noMsgid.query, creds))).toBeInstanceOf(MalformedPayload)
    expect(catchError(() => wecomRobotMessageToChat({ foo: 1 }, { connectionId: null, receivedAt }))).toBeInstanceOf(MalformedPayload)
  })
})
