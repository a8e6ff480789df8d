import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

/**
 * Seals stored credentials (Lark app secrets, WeCom keys) with AES-256-GCM under the master key.
 * Format: "v1." + base64(iv | tag | ciphertext). Losing the master key means re-entering credentials.
 */
export interface SecretBox {
  seal(plaintext: string): string
  open(sealed: string): string
  sealJson(value: unknown): string
  openJson<T>(sealed: string): T
}

export function createSecretBox(masterKey: Buffer): SecretBox {
  if (masterKey.length !== 32) throw new Error('master key must be 32 bytes')
  const box: SecretBox = {
    seal(plaintext) {
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', masterKey, iv)
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
      return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`
    },
    open(sealed) {
      if (!sealed.startsWith('v1.')) throw new Error('unknown sealed secret format')
      const raw = Buffer.from(sealed.slice(3), 'base64')
      const decipher = createDecipheriv('aes-256-gcm', masterKey, raw.subarray(0, 12))
      decipher.setAuthTag(raw.subarray(12, 28))
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')
    },
    sealJson: (value) => box.seal(JSON.stringify(value)),
    openJson: <T>(sealed: string) => JSON.parse(box.open(sealed)) as T,
  }
  return box
}
