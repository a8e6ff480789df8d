// The one way the page talks to the server. Every call is api(method, path, body) with a literal
// path, so test/admin/page.test.ts can check that each path the page uses really exists.

import { en, h } from './dom.js'
import { fieldLabel } from './labels.js'

const API = '/admin/api'
const TOKEN_KEY = 'frontdesk.adminToken'

export class ApiError extends Error {
  constructor(status, body, retryAfter) {
    super(body?.error ?? `HTTP ${status}`)
    this.status = status
    this.body = body ?? {}
    this.retryAfter = retryAfter
  }
}

/** A refused token (401) is already explained on the sign-in screen, so callers stay quiet about it. */
export const isUnauthorized = (error) => error instanceof ApiError && error.status === 401

// The token is kept in this tab's sessionStorage only.
export const token = () => sessionStorage.getItem(TOKEN_KEY)
export const rememberToken = (value) => sessionStorage.setItem(TOKEN_KEY, value)
export const forgetToken = () => sessionStorage.removeItem(TOKEN_KEY)

/** @type {(message: Node) => void} */
let unauthorized = () => {}
/** What to do when the server refuses the token (the sign-in screen registers itself here). */
export function onUnauthorized(handler) {
  unauthorized = handler
}

export async function api(method, path, body) {
  const headers = { accept: 'application/json' }
  const current = token()
  if (current) headers.authorization = `Bearer ${current}`
  // Fastify refuses an empty body sent as JSON, so body-less posts carry no content type.
  if (body !== undefined) headers['content-type'] = 'application/json'
  let response
  try {
    response = await fetch(API + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    })
  } catch {
    throw new ApiError(0, { error: 'network error' })
  }
  const text = await response.text()
  let data = null
  try {
    data = text ? JSON.parse(text) : null
  } catch {
    data = { error: text.slice(0, 200) }
  }
  if (!response.ok) {
    const error = new ApiError(response.status, data, response.headers.get('retry-after'))
    if (response.status === 401) unauthorized(describeError(error))
    throw error
  }
  return data
}

/** One polite sentence (plus field list) for any failed call. */
export function describeError(error) {
  if (!(error instanceof ApiError)) return h('span', {}, '页面出错：', String(error?.message ?? error))
  const { status, body } = error
  const detail = [body.error ? h('code', {}, body.error) : null, body.hint ? h('span', {}, '（', body.hint, '）') : null]
  switch (status) {
    case 0:
      return h('span', {}, '无法连接服务器，请检查网络或服务是否在运行。', en('Network error.'))
    case 400: {
      const fields = Array.isArray(body.fields) ? body.fields : []
      return h(
        'span',
        {},
        '提交的内容有误，请修改后重试。',
        en('Invalid request.'),
        fields.length
          ? h('ul', {}, fields.map((f) => h('li', {}, h('strong', {}, fieldLabel(f.field)), ' ', en(f.field), '：', f.message)))
          : h('div', {}, detail),
      )
    }
    case 401:
      return h('span', {}, '管理令牌不正确或已更换，请重新输入。', en('Unauthorized.'))
    case 404:
      return h('span', {}, '找不到该对象，可能已被删除或 ID 有误：', detail, en(' Not found.'))
    case 409:
      return h('span', {}, '操作冲突：', detail, en(' Conflict.'))
    case 429: {
      const seconds = Number(error.retryAfter)
      const wait = Number.isFinite(seconds) && seconds > 0 ? `约 ${Math.ceil(seconds / 60)} 分钟` : '几分钟'
      return h('span', {}, `令牌错误次数过多，已暂时锁定，请等待${wait}后再试。`, en('Too many failed attempts.'))
    }
    case 503:
      return h('span', {}, '管理接口未启用：请在服务器上设置 ADMIN_TOKEN。', en('Admin API disabled.'))
    default:
      return h('span', {}, `服务器出错（${status}），请稍后重试或查看服务日志。`, detail)
  }
}
