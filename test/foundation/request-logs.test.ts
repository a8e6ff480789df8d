import { afterAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/app.ts'
import { setupTestEnv } from '../support/harness.ts'
import { captureLog } from '../support/log-capture.ts'

const env = await setupTestEnv()

// The app logs through the process logger, here one writing into a string the way stdout would.
const captured = captureLog()
const app = await buildApp({ ...env.ctx, log: captured.log })
await app.ready()
afterAll(() => app.close())

interface LogLine {
  msg: string
  reqId?: string
  method?: string
  path?: string
  status?: number
  ms?: number
}
const lines = () => captured.lines<LogLine>()

describe('request logs', () => {
  it('never contain a URL query: not for a 404, a refused webhook or a bad console request', async () => {
    captured.clear()
    const responses = await Promise.all([
      app.inject({ method: 'GET', url: '/no-such-page?key=SECRET-404' }),
      app.inject({ method: 'GET', url: '/webhooks/wecom/no-such-connection?msg_signature=SECRET-SIG&timestamp=1&nonce=SECRET-NONCE&echostr=SECRET-ECHO' }),
      app.inject({ method: 'POST', url: '/webhooks/wecom/no-such-connection?msg_signature=SECRET-SIG&timestamp=1&nonce=SECRET-NONCE', payload: '<xml/>', headers: { 'content-type': 'text/xml' } }),
      app.inject({ method: 'POST', url: '/webhooks/lark/no-such-connection?key=SECRET-LARK', payload: { challenge: 'x' } }),
      app.inject({ method: 'GET', url: '/console/groups/no-such-group/messages?after=SECRET-AFTER' }),
    ])
    expect(responses.map((response) => response.statusCode)).toEqual([404, 404, 404, 404, 400])

    expect(captured.text()).not.toMatch(/SECRET/)
    expect(captured.text()).not.toContain('?')
    // The 404 still says which path was missed, without the query.
    expect(lines()).toContainEqual(expect.objectContaining({ msg: 'request', method: 'GET', path: '/no-such-page', status: 404 }))
  })

  it('are one line per request with method, path, status, duration and request id', async () => {
    captured.clear()
    await app.inject({ method: 'GET', url: '/healthz?probe=1' })
    await app.inject({ method: 'GET', url: '/missing' })
    const requestLines = lines().filter((line) => line.reqId)
    expect(requestLines).toHaveLength(2)
    expect(requestLines[0]).toMatchObject({ msg: 'request', method: 'GET', path: '/healthz', status: 200 })
    expect(requestLines[1]).toMatchObject({ msg: 'request', method: 'GET', path: '/missing', status: 404 })
    for (const line of requestLines) expect(line.ms).toBeGreaterThanOrEqual(0)
    expect(new Set(requestLines.map((line) => line.reqId)).size).toBe(2)
    expect(captured.text()).not.toContain('incoming request')
    expect(captured.text()).not.toContain('request completed')
  })
})
