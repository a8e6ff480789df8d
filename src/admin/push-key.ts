import { InvalidRequest } from '../http/validation.ts'

const keyShape = /^[A-Za-z0-9-]{8,64}$/

/**
 * Accepts what admins copy from WeCom: the bare message-push key, or the whole webhook address
 * (https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…), from which only the key is kept.
 */
export function extractPushKey(input: string): string {
  const value = input.trim()
  let key = value
  if (/^https?:\/\//i.test(value)) {
    let url: URL
    try {
      url = new URL(value)
    } catch {
      throw new InvalidRequest([{ field: 'pushKey', message: 'is not a valid URL' }])
    }
    key = url.searchParams.get('key') ?? ''
    if (!key) throw new InvalidRequest([{ field: 'pushKey', message: 'the webhook URL has no ?key= parameter' }])
  }
  if (!keyShape.test(key)) {
    throw new InvalidRequest([{ field: 'pushKey', message: 'must be the WeCom message-push key or its full webhook URL' }])
  }
  return key
}
