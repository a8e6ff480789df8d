import { createCipheriv, createDecipheriv, createHash, createHmac, hash, randomBytes, timingSafeEqual, type Decipheriv } from 'node:crypto'
import { DecryptFailed } from '../errors.ts'

/** A Lark `encrypt` field that cannot be decrypted with our Encrypt Key. */
export class LarkDecryptError extends DecryptFailed {}

export interface LarkSignatureInput {
  /** X-Lark-Request-Timestamp */
  timestamp: string
  /** X-Lark-Request-Nonce */
  nonce: string
  /** X-Lark-Signature (lowercase hex) */
  signature: string
  encryptKey: string
  /** The exact request bytes: Lark signs the raw body, not a re-serialization (platforms.md §3.5, §4). */
  rawBody: Buffer
}

/** X-Lark-Signature = hex(sha256(utf8(timestamp + nonce + encryptKey) ++ rawBody)) (platforms.md §3.5). */
export function larkSignature(timestamp: string, nonce: string, encryptKey: string, rawBody: Buffer): string {
  return larkSignatureDigest(timestamp, nonce, encryptKey, rawBody).toString('hex')
}

/** One-shot: a Hash object per delivery costs more than copying the body once. */
function larkSignatureDigest(timestamp: string, nonce: string, encryptKey: string, rawBody: Buffer): Buffer {
  return hash('sha256', Buffer.concat([Buffer.from(timestamp + nonce + encryptKey, 'utf8'), rawBody]), 'buffer')
}

export function verifyLarkSignature(input: LarkSignatureInput): boolean {
  if (!/^[0-9a-fA-F]{64}$/.test(input.signature)) return false
  const expected = larkSignatureDigest(input.timestamp, input.nonce, input.encryptKey, input.rawBody)
  return timingSafeEqual(Buffer.from(input.signature, 'hex'), expected)
}

/** Replay window for X-Lark-Request-Timestamp (seconds since the epoch). */
export { isFreshTimestamp } from '../replay-window.ts'

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** sha256(encryptKey) for each key in use: a webhook needs it on every delivery, and keys are few. */
const derivedKeys = new Map<string, Buffer>()

function larkKey(encryptKey: string): Buffer {
  let key = derivedKeys.get(encryptKey)
  if (!key) {
    if (derivedKeys.size >= 1000) derivedKeys.clear()
    key = createHash('sha256').update(encryptKey, 'utf8').digest()
    derivedKeys.set(encryptKey, key)
  }
  return key
}

/**
 * Decodes strict base64 only. Node's decoder skips characters outside the alphabet, so the input
 * is accepted when encoding the bytes back gives it exactly (cheaper than a regex over the body).
 */
function strictBase64(text: string): Buffer | null {
  if (text.length === 0 || text.length % 4 !== 0) return null
  const data = Buffer.from(text, 'base64')
  return data.toString('base64') === text ? data : null
}

/**
 * The AES-256 block decipher of each key in use, kept across deliveries: setting a cipher up costs
 * OpenSSL 3 more than decrypting a whole event (it looks the algorithm up on every init). ECB with
 * padding off holds no state between whole blocks, so one can serve every delivery of the key.
 */
const blockDeciphers = new Map<string, Decipheriv>()

function blockDecipherOf(encryptKey: string): Decipheriv {
  let decipher = blockDeciphers.get(encryptKey)
  if (!decipher) {
    if (blockDeciphers.size >= 1000) blockDeciphers.clear()
    decipher = createDecipheriv('aes-256-ecb', larkKey(encryptKey), null).setAutoPadding(false)
    blockDeciphers.set(encryptKey, decipher)
  }
  return decipher
}

/** PKCS#7: the last byte n (1–16) says how many bytes of value n end the plaintext. */
function paddingLength(plain: Buffer): number | null {
  const n = plain[plain.length - 1]
  if (n < 1 || n > 16) return null
  for (let i = plain.length - n; i < plain.length; i++) if (plain[i] !== n) return null
  return n
}

/**
 * base64(iv(16) ++ AES-256-CBC(key = sha256(encryptKey), iv, PKCS#7(plaintext))) → plaintext (platforms.md §3.4).
 * CBC over the kept block decipher: P[i] = D(C[i]) xor C[i-1], the iv standing for C[-1]; in the
 * decoded bytes (iv first) C[i-1] starts where P[i] does in the plaintext. node:crypto is used
 * directly: the SDK's AESCipher does no length or padding checks of its own.
 */
export function decryptLarkEvent(encrypt: string, encryptKey: string): string {
  const data = strictBase64(encrypt)
  if (!data) throw new LarkDecryptError('encrypt is not base64')
  if (data.length < 32 || data.length % 16 !== 0) {
    throw new LarkDecryptError(`ciphertext has ${data.length} bytes: not an iv plus whole AES blocks`)
  }
  const plain = blockDecipherOf(encryptKey).update(data.subarray(16))
  if (plain.length !== data.length - 16) throw new LarkDecryptError('the block decipher returned a partial result')
  for (let i = 0; i < plain.length; i++) plain[i] ^= data[i]
  const padding = paddingLength(plain)
  if (padding === null) throw new LarkDecryptError('bad padding: wrong Encrypt Key or corrupted ciphertext')
  try {
    return utf8.decode(plain.subarray(0, plain.length - padding))
  } catch (cause) {
    throw new LarkDecryptError('plaintext is not UTF-8: wrong Encrypt Key', { cause })
  }
}

/** The inverse of decryptLarkEvent, for tests and fake servers. */
export function encryptLarkEvent(plaintext: string, encryptKey: string, iv: Buffer = randomBytes(16)): string {
  if (iv.length !== 16) throw new RangeError('iv must be 16 bytes')
  const cipher = createCipheriv('aes-256-cbc', larkKey(encryptKey), iv)
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64')
}

/** Custom-bot webhook sign: base64(HMAC-SHA256(key = timestamp + "\n" + secret, data = "")) (platforms.md §3.10). */
export function larkCustomBotSign(timestampSeconds: string, secret: string): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64')
}
