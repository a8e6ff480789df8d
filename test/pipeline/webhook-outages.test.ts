import { pino } from 'pino'
import { afterAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/app.ts'
import { createContext } from '../../src/context.ts'
import { openDatabase } from '../../src/db/database.ts'
import { setupTestEnv } from '../support/harness.ts'
import { createLarkSetup, larkMessageEvent, signedLarkRequest } from '../support/pipeline.ts'
import { freePort } from '../support/process.ts'
import { testDatabaseUrl } from '../support/services.ts'

const env = await setupTestEnv()
const setup = await createLarkSetup(env)
const closedPort = await freePort()

/** The same frontdesk web process, with one of its dependencies pointed where nothing answers. */
async function webWith(options: { redisUrl?: string; databaseUrl?: string }) {
  const db = await openDatabase(options.databaseUrl ? { url: options.databaseUrl } : { url: testDatabaseUrl, schema: env.schema })
  const ctx = createContext({ config: env.config, db, redisUrl: options.redisUrl ?? env.ctx.redisUrl, clock: env.clock, log: pino({ level: 'silent' }) })
  const app = await buildApp(ctx, { logger: false })
  await app.ready()
  afterAll(async () => {
    await app.close()
    await ctx.close()
  })
  return { ctx, app }
}

async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = Date.now()
  const result = await work()
  return { result, ms: Date.now() - started }
}

/**
 * The answer must come well inside the platforms' patience (Lark 3 s, WeCom 5 s). The code gives up
 * on Redis after 500 ms; the bound leaves room for a busy machine without accepting a hang.
 */
const PLATFORM_PATIENCE_MS = 2500

describe('webhooks during an outage', () => {
  it('with Redis down: 200 well before Lark gives up, and the event is stored', async () => {
    const web = await webWith({ redisUrl: `redis://127.0.0.1:${closedPort}` })
    const event = larkMessageEvent({ chatId: setup.chatId, text: '待办' })
    const { result, ms } = await timed(() => web.app.inject(signedLarkRequest(setup.connection.id, event)))
    expect(result.statusCode).toBe(200)
    expect(ms).toBeLessThan(PLATFORM_PATIENCE_MS)
    const stored = await env.ctx.prisma.inboundEvent.findFirst({ where: { dedupeKey: { contains: event.header.event_id } } })
    expect(stored?.status).toBe('received')
    const ready = await timed(() => web.app.inject({ method: 'GET', url: '/readyz' }))
    expect(ready.result.statusCode).toBe(503)
    expect(ready.ms).toBeLessThan(3000) // a bounded probe, not one that hangs on the offline queue
  })

  it('with the database down: 503 with Retry-After within a second, so the platform delivers it again', async () => {
    const web = await webWith({ databaseUrl: `postgresql://postgres@127.0.0.1:${closedPort}/test` })
    const event = larkMessageEvent({ chatId: setup.chatId, text: '待办' })
    const { result, ms } = await timed(() => web.app.inject(signedLarkRequest(setup.connection.id, event)))
    expect(result.statusCode).toBe(503)
    expect(result.headers['retry-after']).toBeTruthy()
    expect(ms).toBeLessThan(PLATFORM_PATIENCE_MS)
    // Once it is back, the redelivery is taken as new: nothing was stored the first time.
    const redelivered = await env.app.inject(signedLarkRequest(setup.connection.id, event))
    expect(redelivered.statusCode).toBe(200)
    expect(await env.ctx.prisma.inboundEvent.count({ where: { dedupeKey: { contains: event.header.event_id } } })).toBe(1)
  })
})
