import { describe, expect, it } from 'vitest'
import { chatMessageSchema } from '../../src/messages/chat-message.ts'
import { BadSignature, MalformedPayload, StaleRequest, WrongToken } from '../../src/platforms/errors.ts'
import { encryptWecom, wecomSignature } from '../../src/platforms/wecom/crypto.ts'
import {
  parseWecomAppCallback,
  parseWecomRobotBody,
  wecomAppMessageToChat,
  wecomRobotMessageToChat,
} from '../../src/platforms/wecom/inbound.ts'
import { atSendTime, catchError, loadVector } from './helpers.ts'

const app = loadVector('sample_wecom_app_callback_text.json')
const robot = loadVector('sample_wecom_group_robot_callback_text.json')
const receivedAt = new Date('2026-11-23T02:00:00Z')
const apiBaseUrl = 'https://qyapi.weixin.qq.com'

describe('self-built app callback (sample_wecom_app_callback_text.json)', () => {
  const ex = app.encrypted_example
  const creds = { token: ex.token, encodingAESKey: ex.encoding_aes_key, receiveId: ex.corpid }

  it('verifies, decrypts and parses the official XML example, MsgId as a string', () => {
    const message = parseWecomAppCallback(Buffer.from(ex.body), ex.query, creds, atSendTime(ex.query))
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
      expect(parseWecomAppCallback(Buffer.from(JSON.stringify(body)), ex.query, creds, atSendTime(ex.query)).msgId).toBe('4561255354251345929')
    }
  })

  it('parses the doc template plaintext (CDATA and bare values)', () => {
    const encrypt = encryptWecom(ex.encoding_aes_key, app.doc_template_plaintext_xml, ex.corpid)
    const query = { timestamp: '1700000000', nonce: 'n', msg_signature: wecomSignature(ex.token, '1700000000', 'n', encrypt) }
    const body = `<xml><ToUserName><![CDATA[${ex.corpid}]]></ToUserName><AgentID><![CDATA[1]]></AgentID><Encrypt><![CDATA[${encrypt}]]></Encrypt></xml>`
    expect(parseWecomAppCallback(Buffer.from(body), query, creds, atSendTime(query))).toMatchObject({
      msgId: '1234567890123456',
      fromUser: 'fromUser',
      createTime: '1348831860',
      content: 'this is a test',
    })
  })

  it('rejects a bad signature (401 family), a wrong CorpID, and malformed bodies (400 family)', () => {
    expect(catchError(() => parseWecomAppCallback(Buffer.from(ex.body), { ...ex.query, timestamp: '1409659814' }, creds, atSendTime(ex.query)))).toBeInstanceOf(BadSignature)
    expect(catchError(() => parseWecomAppCallback(Buffer.from(ex.body), ex.query, { ...creds, receiveId: 'wx_other' }, atSendTime(ex.query)))).toBeInstanceOf(WrongToken)
    for (const body of ['<xml><Encrypt>', '<xml></xml>', '{"Encrypt":', '{}', '']) {
      expect(catchError(() => parseWecomAppCallback(Buffer.from(body), ex.query, creds, atSendTime(ex.query)))).toBeInstanceOf(MalformedPayload)
    }
    const { nonce: _n, ...noNonce } = ex.query
    expect(catchError(() => parseWecomAppCallback(Buffer.from(ex.body), noNonce, creds, atSendTime(ex.query)))).toBeInstanceOf(MalformedPayload)
  })

  it('refuses a signed app callback outside the replay window, and hostile XML as malformed', () => {
    const sentAt = atSendTime(ex.query).now.getTime()
    const late = { now: new Date(sentAt + 301_000), windowSeconds: 300 }
    expect(catchError(() => parseWecomAppCallback(Buffer.from(ex.body), ex.query, creds, late))).toBeInstanceOf(StaleRequest)

    const encrypt = /<Encrypt><!\[CDATA\[(.*?)\]\]><\/Encrypt>/.exec(ex.body)![1]
    const hostile = [
      `<!DOCTYPE xml [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><xml><Encrypt>&b;</Encrypt></xml>`,
      `<!doctype xml SYSTEM "file:///etc/passwd"><xml><Encrypt>${encrypt}</Encrypt></xml>`,
      '<xml>' + '<a>'.repeat(5000) + '</a>'.repeat(5000) + '</xml>',
      `<xml ${Array.from({ length: 20_000 }, (_, i) => `a${i}="1"`).join(' ')}><Encrypt>${encrypt}</Encrypt></xml>`,
      `<xml><__proto__><Encrypt>${encrypt}</Encrypt></__proto__></xml>`,
      `<xml><Encrypt>${encrypt}</Encrypt></xml><xml><Encrypt>${encrypt}</Encrypt></xml>`,
      `<xml><Encrypt>${encrypt}</Encrypt><Encrypt>${encrypt}</Encrypt></xml>`,
      '<xml>' + '<a>1</a>'.repeat(20_000) + '</xml>',
    ]
    for (const body of hostile) {
      expect(catchError(() => parseWecomAppCallback(Buffer.from(body), ex.query, creds, atSendTime(ex.query)))).toBeInstanceOf(MalformedPayload)
    }
  })

  it('ignores events and non-text messages', () => {
    const base = parseWecomAppCallback(Buffer.from(ex.body), ex.query, creds, atSendTime(ex.query))
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
    const { msgid, message } = parseWecomRobotBody(rawBody, query, creds, atSendTime(query))
    expect(msgid).toBe(robot.aibot_json_text.msgid)
    expect(message).toEqual(robot.aibot_json_text)
    const chat = wecomRobotMessageToChat(message, { connectionId: 'conn-r', receivedAt, apiBaseUrl })
    expect(chat).toEqual({
      platform: 'wecom',
      connectionId: 'conn-r',
      chatId: 'CHATID',
      chatType: 'group',
      sender: { userId: 'USERID' },
      text: 'hello robot',
      mentions: [],
      messageId: robot.aibot_json_text.msgid,
      receivedAt: '2026-11-23T02:00:00.000Z',
    })
    expect(chatMessageSchema.safeParse(chat).success).toBe(true)
  })

  it('keeps a response_url on the WeCom API host and drops any other, logging it without its query', () => {
    const warnings: { details: Record<string, unknown>; text: string }[] = []
    const log = { warn: (details: Record<string, unknown>, text: string) => warnings.push({ details, text }) } as never
    const onHost = `${apiBaseUrl}/cgi-bin/aibot/response?response_code=one-time-code`
    const kept = wecomRobotMessageToChat({ ...robot.aibot_json_text, response_url: onHost }, { connectionId: 'c', receivedAt, apiBaseUrl, log })
    expect(kept?.replyUrl).toBe(onHost)
    expect(warnings).toEqual([])

    const hostile = [
      'http://169.254.169.254/latest/meta-data?response_code=secret-code',
      'https://qyapi.weixin.qq.com.evil.example/cgi-bin/aibot/response?response_code=secret-code',
      'https://qyapi.weixin.qq.com@evil.example/x?response_code=secret-code',
      'http://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=secret-code', // another scheme is another origin
      'https://qyapi.weixin.qq.com:8443/cgi-bin/aibot/response?response_code=secret-code',
      'file:///etc/passwd',
      'RESPONSEURL',
    ]
    for (const url of hostile) {
      const chat = wecomRobotMessageToChat({ ...robot.aibot_json_text, response_url: url }, { connectionId: 'c', receivedAt, apiBaseUrl, log })
      expect(chat).not.toBeNull()
      expect(chat).not.toHaveProperty('replyUrl')
    }
    expect(warnings).toHaveLength(hostile.length)
    expect(JSON.stringify(warnings)).not.toContain('secret-code')
    expect(warnings[0].details.responseUrl).toBe('http://169.254.169.254/latest/meta-data?…')
  })

  it('maps single chats to single:<userid> without stripping an @', () => {
    const { chatid: _c, ...single } = { ...robot.aibot_json_text, chattype: 'single', text: { content: '@张三 的报修 #1023' } }
    expect(wecomRobotMessageToChat(single, { connectionId: null, receivedAt, apiBaseUrl })).toMatchObject({
      chatId: 'single:USERID',
      chatType: 'direct',
      text: '@张三 的报修 #1023',
    })
  })

  it('only strips the first @token in groups and keeps other mentions as text', () => {
    const message = { ...robot.aibot_json_text, text: { content: '@前台  派单 @李师傅  #1023' } }
    expect(wecomRobotMessageToChat(message, { connectionId: null, receivedAt, apiBaseUrl })?.text).toBe('派单 @李师傅 #1023')
  })

  it('reads the text items of a mixed message and ignores events', () => {
    const mixed = {
      ...robot.aibot_json_text,
      msgtype: 'mixed',
      text: undefined,
      mixed: { msg_item: [{ msgtype: 'text', text: { content: '@RobotA 报修 漏水' } }, { msgtype: 'image', image: { url: 'u' } }] },
    }
    expect(wecomRobotMessageToChat(mixed, { connectionId: null, receivedAt, apiBaseUrl })?.text).toBe('报修 漏水')
    const event = { msgid: 'e1', aibotid: 'A', from: { userid: 'u' }, msgtype: 'event', event: { eventtype: 'enter_chat' } }
    expect(wecomRobotMessageToChat(event, { connectionId: null, receivedAt, apiBaseUrl })).toBeNull()
  })

  it('refuses a correctly signed callback whose timestamp is outside the replay window', () => {
    const ok = push(robot.aibot_json_text)
    const sentAt = atSendTime(ok.query).now.getTime()
    for (const offsetSeconds of [301, -301, 86_400]) {
      const later = { now: new Date(sentAt + offsetSeconds * 1000), windowSeconds: 300 }
      expect(catchError(() => parseWecomRobotBody(ok.rawBody, ok.query, creds, later))).toBeInstanceOf(StaleRequest)
    }
    const justInside = { now: new Date(sentAt + 300_000), windowSeconds: 300 }
    expect(parseWecomRobotBody(ok.rawBody, ok.query, creds, justInside).msgid).toBe(robot.aibot_json_text.msgid)
    // A wider window is configurable.
    expect(parseWecomRobotBody(ok.rawBody, ok.query, creds, { now: new Date(sentAt + 3_600_000), windowSeconds: 3600 }).msgid).toBe(robot.aibot_json_text.msgid)
  })

  it('rejects a bad signature, a non-empty receive id and malformed bodies', () => {
    const signedByOther = push(robot.aibot_json_text, 'otherToken')
    expect(catchError(() => parseWecomRobotBody(signedByOther.rawBody, signedByOther.query, creds, atSendTime(signedByOther.query)))).toBeInstanceOf(BadSignature)
    const ok = push(robot.aibot_json_text)
    expect(catchError(() => parseWecomRobotBody(ok.rawBody, ok.query, { ...creds, receiveId: 'corp' }, atSendTime(ok.query)))).toBeInstanceOf(WrongToken)
    expect(catchError(() => parseWecomRobotBody(Buffer.from('not json'), ok.query, creds, atSendTime(ok.query)))).toBeInstanceOf(MalformedPayload)
    expect(catchError(() => parseWecomRobotBody(Buffer.from('{"Encrypt":1}'), ok.query, creds, atSendTime(ok.query)))).toBeInstanceOf(MalformedPayload)
    const noMsgid = push({ msgtype: 'text' })
    expect(catchError(() => parseWecomRobotBody(noMsgid.rawBody, noMsgid.query, creds, atSendTime(noMsgid.query)))).toBeInstanceOf(MalformedPayload)
    expect(catchError(() => wecomRobotMessageToChat({ foo: 1 }, { connectionId: null, receivedAt, apiBaseUrl }))).toBeInstanceOf(MalformedPayload)
  })
})
