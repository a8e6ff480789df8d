import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createSecretBox } from '../../src/crypto/secrets.ts'
import { maskPhones } from '../../src/text/phone.ts'
import { captureLog } from '../support/log-capture.ts'

describe('stored credentials', () => {
  const box = createSecretBox(randomBytes(32))

  it('round-trip through the master key and never appear in clear', () => {
    const sealed = box.sealJson({ appSecret: 'very-secret-value' })
    expect(sealed).not.toContain('very-secret-value')
    expect(box.openJson(sealed)).toEqual({ appSecret: 'very-secret-value' })
  })

  it('refuse a tampered value or another master key', () => {
    const sealed = box.seal('hello')
    const raw = Buffer.from(sealed.slice(3), 'base64')
    raw[raw.length - 1] ^= 1
    expect(() => box.open(`v1.${raw.toString('base64')}`)).toThrow()
    expect(() => createSecretBox(randomBytes(32)).open(sealed)).toThrow()
  })
})

describe('logs', () => {
  it('redact secrets, tokens and phone numbers', () => {
    const { log, text } = captureLog()
    log.info({ connection: { appSecret: 'S3CRET', encryptKey: 'K3Y', token: 'T0KEN' }, ticket: { contactPhone: '13800138000' } }, 'saved')
    log.info({ req: { headers: { authorization: 'Bearer admin-token' }, method: 'GET', url: '/x?key=push-key' } }, 'request')
    for (const secret of ['S3CRET', 'K3Y', 'T0KEN', '13800138000', 'admin-token', 'push-key']) expect(text()).not.toContain(secret)
    expect(text()).toContain('[redacted]')
  })

  it('mask mainland mobile numbers in text for groups', () => {
    expect(maskPhones('联系 13800138000，备用 139-0000-1111 不处理')).toBe('联系 138****8000，备用 139-0000-1111 不处理')
  })
})
