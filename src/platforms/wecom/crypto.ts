import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { DecryptFailed, WrongToken } from '../errors.ts'

/**
 * WXBizMsgCrypt (platforms.md §1.4): sha1 signature over the sorted values, AES-256-CBC with
 * key = base64(EncodingAESKey + "="), iv = key[0..16), PKCS#7 padded to 32-byte blocks, plaintext
 * random(16) ++ msg_len(4, BE) ++ msg ++ receiveid.
 */

/** WXBizMsgCrypt return codes this module mirrors. */
export const WecomCryptoCode = {
  signature: -40001,
  illegalAesKey: -40004,
  receiveId: -40005,
  decrypt: -40007,
  illegalBuffer: -40008,
  base64: -40010,
} as const

const BLOCK = 32

export function wecomSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  // Lexicographic sort of the values, smallest first; lowercase hex.
  return createHash('sha1').update([token, timestamp, nonce, encrypt].sort().join(''), 'utf8').digest('hex')
}

export function verifyWecomSignature(
  token: string,
  timestamp: string,
  nonce: string,
  encrypt: string,
  signature: string,
): boolean {
  if (!/^[0-9a-fA-F]{40}$/.test(signature)) return false
  const expected = Buffer.from(wecomSignature(token, timestamp, nonce, encrypt), 'hex')
  const given = Buffer.from(signature, 'hex')
  return given.length === expected.length && timingSafeEqual(given, expected)
}

export function wecomAesKey(encodingAESKey: string): Buffer {
  if (!/^[a-zA-Z0-9]{43}$/.test(encodingAESKey)) {
    throw new RangeError(`EncodingAESKey must be 43 letters and digits (WXBizMsgCrypt ${WecomCryptoCode.illegalAesKey})`)
  }
  return Buffer.from(encodingAESKey + '=', 'base64')
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/
const utf8 = new TextDecoder('utf-8', { fatal: true })

export interface WecomDecrypted {
  message: string
  receiveId: string
  random: Buffer
}

/** Decrypts without checking the receive id; most callers want decryptWecom. */
export function openWecomEnvelope(encodingAESKey: string, encrypt: string): WecomDecrypted {
  const key = wecomAesKey(encodingAESKey)
  if (encrypt.length % 4 !== 0 || !BASE64.test(encrypt)) {
    throw new DecryptFailed('ciphertext is not base64', { code: WecomCryptoCode.base64 })
  }
  const data = Buffer.from(encrypt, 'base64')
  if (data.length === 0 || data.length % BLOCK !== 0) {
    throw new DecryptFailed(`ciphertext has ${data.length} bytes: not whole 32-byte blocks`, { code: WecomCryptoCode.decrypt })
  }
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16))
  decipher.setAutoPadding(false) // WeCom pads to 32, not to the AES block of 16
  const plain = Buffer.concat([decipher.update(data), decipher.final()])

  // Strict PKCS#7 (block 32): pad value 1..32 and every pad byte equal to it.
  const pad = plain[plain.length - 1]
  if (pad < 1 || pad > BLOCK || plain.subarray(plain.length - pad).some((byte) => byte !== pad)) {
    throw new DecryptFailed('bad PKCS#7 padding: wrong EncodingAESKey or corrupted ciphertext', { code: WecomCryptoCode.decrypt })
  }
  const content = plain.subarray(0, plain.length - pad)
  if (content.length < 20) throw new DecryptFailed('plaintext shorter than random + length', { code: WecomCryptoCode.illegalBuffer })
  const msgLength = content.readUInt32BE(16)
  if (msgLength > content.length - 20) {
    throw new DecryptFailed(`msg_len ${msgLength} exceeds the plaintext`, { code: WecomCryptoCode.illegalBuffer })
  }
  try {
    return {
      random: Buffer.from(content.subarray(0, 16)),
      message: utf8.decode(content.subarray(20, 20 + msgLength)),
      receiveId: utf8.decode(content.subarray(20 + msgLength)),
    }
  } catch (cause) {
    throw new DecryptFailed('plaintext is not UTF-8', { code: WecomCryptoCode.illegalBuffer, cause })
  }
}

/** Decrypts and checks the receive id: CorpID for app callbacks, "" for robots (platforms.md §1.4). */
export function decryptWecom(encodingAESKey: string, encrypt: string, expectedReceiveId: string): string {
  const opened = openWecomEnvelope(encodingAESKey, encrypt)
  const a = Buffer.from(opened.receiveId, 'utf8')
  const b = Buffer.from(expectedReceiveId, 'utf8')
  if (a.length !== b.length || !timingSafeEqual(a, b)) {
    throw new WrongToken('receive id after decryption is not ours', { code: WecomCryptoCode.receiveId })
  }
  return opened.message
}

/** The inverse of decryptWecom; pass `random` to reproduce a ciphertext byte for byte. */
export function encryptWecom(encodingAESKey: string, message: string, receiveId: string, random: Buffer = randomBytes(16)): string {
  if (random.length !== 16) throw new RangeError('random must be 16 bytes')
  const key = wecomAesKey(encodingAESKey)
  const msg = Buffer.from(message, 'utf8')
  const length = Buffer.alloc(4)
  length.writeUInt32BE(msg.length)
  const body = Buffer.concat([random, length, msg, Buffer.from(receiveId, 'utf8')])
  const pad = BLOCK - (body.length % BLOCK)
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16))
  cipher.setAutoPadding(false)
  return Buffer.concat([cipher.update(Buffer.concat([body, Buffer.alloc(pad, pad)])), cipher.final()]).toString('base64')
}
