import { connect, type Socket } from 'node:net'
import { afterAll, describe, expect, it } from 'vitest'
import { FORCED_EXIT_CODE, TIMED_OUT_EXIT_CODE } from '../../src/shutdown.ts'
import { startFrontdesk, waitForStatus, type RunningFrontdesk } from '../support/process.ts'
import { createSchema, deleteRedisPrefix, dropSchema, testDatabaseUrl, testRedisUrl, uniqueName } from '../support/services.ts'
import { waitFor } from '../support/wait.ts'

const schema = uniqueName('shutdown')
const prefix = uniqueName('fdtest')
await createSchema(schema)
afterAll(async () => {
  await dropSchema(schema)
  await deleteRedisPrefix(prefix)
})

const baseEnv = {
  DATABASE_URL: `${testDatabaseUrl}?schema=${schema}`,
  REDIS_URL: testRedisUrl,
  REDIS_PREFIX: prefix,
  DEMO_SEED: 'true',
  LOG_LEVEL: 'info',
}

async function start(env: Record<string, string>): Promise<RunningFrontdesk> {
  const running = await startFrontdesk({ ...baseEnv, ...env })
  await waitForStatus(`${running.baseUrl}/readyz`, 200, 90_000)
  return running
}

/** Resolves with the exit code, or null if the process is still running after `ms`. */
function exitWithin(running: RunningFrontdesk, ms: number): Promise<number | null | 'still running'> {
  if (running.child.exitCode !== null) return Promise.resolve(running.child.exitCode)
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('still running'), ms)
    running.child.once('exit', (code) => {
      clearTimeout(timer)
      resolve(code)
    })
  })
}

/** A client stuck halfway through an upload: the server has the request and waits for the rest of the body. */
async function stuckUpload(baseUrl: string): Promise<Socket> {
  const { hostname, port } = new URL(baseUrl)
  const socket = connect(Number(port), hostname)
  socket.on('error', () => {})
  let answered = ''
  socket.on('data', (chunk) => (answered += chunk))
  socket.write(`POST /webhooks/lark/stuck HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n`)
  // "100 Continue" means the server has parsed the headers: the request is now in flight.
  await waitFor(() => answered.includes('100 Continue'), { what: '100 Continue' })
  socket.write('{"partial":')
  return socket
}

const groupIdIn = (output: string, name: string) => new RegExp(`${name} \\(\\w+\\): (\\S+)`).exec(output)?.[1]

describe('stopping frontdesk', () => {
  it('ends open console event streams on SIGTERM and exits cleanly within the deadline', async () => {
    const running = await start({ SHUTDOWN_TIMEOUT_MS: '30000' })
    try {
      const groupId = groupIdIn(running.output(), '维修群')
      expect(groupId).toBeTruthy()
      const events = await fetch(`${running.baseUrl}/console/groups/${groupId}/events`)
      expect(events.status).toBe(200)
      expect(events.headers.get('content-type')).toContain('text/event-stream')
      const reader = events.body!.getReader()
      expect(new TextDecoder().decode((await reader.read()).value)).toContain(': connected')

      // A stream the client drops leaves its one request line too.
      const drop = new AbortController()
      const dropped = await fetch(`${running.baseUrl}/console/groups/${groupId}/events`, { signal: drop.signal })
      await dropped.body!.getReader().read()
      drop.abort()
      const streamLines = () => running.output().match(/"path":"\/console\/groups\/[^"]+\/events","status":200/g) ?? []
      await waitFor(() => streamLines().length === 1, { what: 'the dropped stream to be logged' })

      running.child.kill('SIGTERM')
      // The stream ends from the server side, and the process does not wait for the client.
      expect((await reader.read()).done).toBe(true)
      expect(await exitWithin(running, 25_000)).toBe(0)
      expect(streamLines()).toHaveLength(2)
    } finally {
      await running.stop()
    }
  }, 120_000)

  it('prints the demo console ids on a later start too, and a second signal exits at once', async () => {
    // Same database as the first test: the demo tenant exists already and is not created again.
    const running = await start({ SHUTDOWN_TIMEOUT_MS: '120000' })
    let socket: Socket | undefined
    try {
      // The demo lines follow the start-up lines, once the tenant has been looked up.
      await waitFor(() => running.output().includes('is ready'), { what: 'the demo console ids' })
      const output = running.output()
      expect(groupIdIn(output, '前台群')).toBeTruthy()
      expect(output).toMatch(/curl -X POST http:\/\/\S+\/console\/groups\/\S+\/messages/)
      expect(output).toMatch(/curl -N http:\/\/\S+\/console\/groups\/\S+\/events/)

      socket = await stuckUpload(running.baseUrl)
      running.child.kill('SIGTERM')
      await waitFor(() => running.output().includes('shutting down'), { what: 'shutdown to begin' })
      expect(await exitWithin(running, 1500)).toBe('still running')

      running.child.kill('SIGINT')
      expect(await exitWithin(running, 10_000)).toBe(FORCED_EXIT_CODE)
      expect(running.output()).toContain('second signal: exiting without waiting')
      expect(running.output()).toMatch(/stillRunning.*http server/)
    } finally {
      socket?.destroy()
      await running.stop()
    }
  }, 120_000)

  it('gives up after SHUTDOWN_TIMEOUT_MS, saying what was still running', async () => {
    const running = await start({ SHUTDOWN_TIMEOUT_MS: '1000', DEMO_SEED: 'false' })
    let socket: Socket | undefined
    try {
      socket = await stuckUpload(running.baseUrl)
      running.child.kill('SIGTERM')
      expect(await exitWithin(running, 20_000)).toBe(TIMED_OUT_EXIT_CODE)
      expect(running.output()).toContain('shutdown took too long')
      expect(running.output()).toMatch(/stillRunning.*http server/)
    } finally {
      socket?.destroy()
      await running.stop()
    }
  }, 120_000)
})
