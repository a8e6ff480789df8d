import type { FastifyReply } from 'fastify'
import type { VNode } from 'preact'
import { renderToString } from 'preact-render-to-string'

/** No script runs in the workspace; forms post only to it; nothing may frame it. */
export const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
  // Pages hold tenant data: never kept by a shared cache or the back button of a signed-out browser.
  'cache-control': 'no-store',
}

export function sendPage(reply: FastifyReply, page: VNode, status = 200) {
  return reply.code(status).headers(SECURITY_HEADERS).type('text/html; charset=utf-8').send(`<!doctype html>${renderToString(page)}`)
}

export function sendCsv(reply: FastifyReply, name: string, body: string) {
  return reply
    .headers(SECURITY_HEADERS)
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}"`)
    .send(body)
}
