import { createCipheriv } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { BadSignature, DecryptFailed, MalformedPayload, WrongToken } from '../../src/platforms/errors.ts'
import {
  decryptWecom,
  encryptWecom,
  openWecomEnvelope,
  verifyWecomSignature,
  wecomAesKey,
  wecomSignature,
} from '../../src/platforms/wecom/crypto.ts'
import { handleWecomVerification } from '../../src/platforms/wecom/inbound.ts'
import { atSendTime, catchError, loadVector } from './helpers.ts'

interface WecomVector {
  id: string
  token: string
  encoding_aes_key: string
  receiveid: string
  query: { msg_signature: string; timestamp: string; nonce: string; echostr?: string }
  encrypt: string
  expected_plaintext: string
  expected_sort_string_prefix?: string
  random_hex: string
}

const file = loadVector<{ vectors: WecomVector[] }>('wecom_wxbizmsgcrypt.json')

// PHP sample GET (platforms.md §1.2, stack.md §8): the echo is DERIVED there.
const phpGet: WecomVector = {
  id: 'wecom-php-sample-verifyurl-get (platforms.md §1.2)',
  token: 'QDG6eK',
  encoding_aes_key: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  receiveid: 'wx5823bf96d3bd56c7',
  query: {
    msg_signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3',
    timestamp: '1409659589',
    nonce: '263014780',
    echostr: decodeURIComponent(
      'P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D',
    ),
  },
  encrypt: decodeURIComponent(
    'P9nAzCzyDtyTWESHep1vC5X9xho%2FqYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp%2B4RPcs8TgAE7OaBO%2BFZXvnaqQ%3D%3D',
  ),
  expected_plaintext: '1616140317555161061',
  random_hex: '',
}

describe('WXBizMsgCrypt vectors', () => {
  it('has vectors to check', () => expect(file.vectors.length).toBeGreaterThan(0))

  for (const v of [...file.vectors, phpGet]) {
    describe(v.id, () => {
      it('computes and verifies the signature', () => {
        const { msg_signature, timestamp, nonce } = v.query
        expect(wecomSignature(v.token, timestamp, nonce, v.encrypt)).toBe(msg_signature)
        expect(verifyWecomSignature(v.token, timestamp, nonce, v.encrypt, msg_signature)).toBe(true)
        if (v.expected_sort_string_prefix) {
          expect([v.token, timestamp, nonce, v.encrypt].sort().join('').startsWith(v.expected_sort_string_prefix)).toBe(true)
        }
      })

      it('decrypts to the expected plaintext and receive id', () => {
        expect(decryptWecom(v.encoding_aes_key, v.encrypt, v.receiveid)).toBe(v.expected_plaintext)
        const opened = openWecomEnvelope(v.encoding_aes_key, v.encrypt)
        expect(opened.receiveId).toBe(v.receiveid)
        if (v.random_hex) expect(opened.random.toString('hex')).toBe(v.random_hex)
      })

      it('re-encrypts byte for byte with the recovered random prefix', () => {
        const { random } = openWecomEnvelope(v.encoding_aes_key, v.encrypt)
        expect(encryptWecom(v.encoding_aes_key, v.expected_plaintext, v.receiveid, random)).toBe(v.encrypt)
      })

      if (v.query.echostr) {
        it('answers the GET URL verification with the plaintext echo', () => {
          const creds = { token: v.token, encodingAESKey: v.encoding_aes_key, receiveId: v.receiveid }
          expect(handleWecomVerification(v.query, creds, atSendTime(v.query))).toBe(v.expected_plaintext)
        })
      }
    })
  }
})

describe('WXBizMsgCrypt rejections', () => {
  const v = file.vectors[0]
  const key = v.encoding_aes_key

  /** Encrypts arbitrary bytes with the WeCom key/iv and no padding, to forge bad plaintexts. */
  function rawEncrypt(plain: Buffer): string {
    const aes = wecomAesKey(key)
    const cipher = createCipheriv('aes-256-cbc', aes, aes.subarray(0, 16))
    cipher.setAutoPadding(false)
    return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64')
  }

  it('rejects a wrong signature, a wrong-length one and a non-hex one', () => {
    const { timestamp, nonce, msg_signature } = v.query
    const flipped = (msg_signature[0] === 'a' ? 'b' : 'a') + msg_signature.slice(1)
    expect(verifyWecomSignature(v.token, timestamp, nonce, v.encrypt, flipped)).toBe(false)
    expect(verifyWecomSignature(v.token, timestamp, nonce, v.encrypt, msg_signature.slice(2))).toBe(false)
    expect(verifyWecomSignature(v.token, timestamp, nonce, v.encrypt, 'z'.repeat(40))).toBe(false)
    expect(verifyWecomSignature('other', timestamp, nonce, v.encrypt, msg_signature)).toBe(false)
  })

  it('rejects a receive id that is not ours with -40005', () => {
    const error = catchError(() => decryptWecom(key, v.encrypt, 'wx_other'))
    expect(error).toBeInstanceOf(WrongToken)
    expect((error as WrongToken).code).toBe(-40005)
  })

  it('rejects truncated ciphertext', () => {
    const truncated = Buffer.from(v.encrypt, 'base64').subarray(0, 40).toString('base64')
    expect(catchError(() => decryptWecom(key, truncated, v.receiveid))).toBeInstanceOf(DecryptFailed)
    expect(catchError(() => decryptWecom(key, '', v.receiveid))).toBeInstanceOf(DecryptFailed)
    expect(catchError(() => decryptWecom(key, 'not base64!!', v.receiveid))).toBeInstanceOf(DecryptFailed)
  })

  it('rejects bad padding: pad value 0, 33, and inconsistent pad bytes', () => {
    const body = Buffer.alloc(64, 7)
    for (const last of [0, 33]) {
      body[63] = last
      const error = catchError(() => decryptWecom(key, rawEncrypt(body), ''))
      expect(error).toBeInstanceOf(DecryptFailed)
      expect((error as DecryptFailed).code).toBe(-40007)
    }
    const inconsistent = Buffer.alloc(64, 4)
    inconsistent[61] = 9 // claims 4 pad bytes, one differs
    expect(catchError(() => decryptWecom(key, rawEncrypt(inconsistent), ''))).toBeInstanceOf(DecryptFailed)
  })

  it('rejects msg_len beyond the plaintext with -40008', () => {
    const plain = Buffer.alloc(64, 12)
    plain.writeUInt32BE(1000, 16) // then 12 bytes of content after the header, padded with 12 × 0x0c … all 12s
    const error = catchError(() => decryptWecom(key, rawEncrypt(plain), ''))
    expect(error).toBeInstanceOf(DecryptFailed)
    expect((error as DecryptFailed).code).toBe(-40008)
  })

  it('rejects a wrong key', () => {
    const otherKey = 'a'.repeat(43)
    expect(catchError(() => decryptWecom(otherKey, v.encrypt, v.receiveid))).toBeInstanceOf(MalformedPayload)
  })

  it('round-trips Chinese text with an empty receive id', () => {
    const message = '{"msgid":"1","text":{"content":"@机器人 报修 3-2-501 漏水"}}'
    expect(decryptWecom(key, encryptWecom(key, message, ''), '')).toBe(message)
  })

  it('GET verification: bad signature → BadSignature (-40001), missing echostr → MalformedPayload', () => {
    const creds = { token: 'QDG6eK', encodingAESKey: phpGet.encoding_aes_key, receiveId: phpGet.receiveid }
    const error = catchError(() => handleWecomVerification({ ...phpGet.query, nonce: '1' }, creds, atSendTime(phpGet.query)))
    expect(error).toBeInstanceOf(BadSignature)
    expect((error as BadSignature).code).toBe(-40001)
    const { echostr: _omit, ...noEcho } = phpGet.query
    expect(catchError(() => handleWecomVerification(noEcho, creds, atSendTime(phpGet.query)))).toBeInstanceOf(MalformedPayload)
  })
})

