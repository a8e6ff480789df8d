import { randomBytes, randomUUID } from 'node:crypto'
import { Writable } from 'node:stream'
import type { EventDispatcher } from '@larksuiteoapi/node-sdk'
import type { BaseMessage, WsFrame } from '@wecom/aibot-node-sdk'
import { pino } from 'pino'
import { afterAll, describe, expect, it } from 'vitest'
import type { AppContext } from '../../src/context.ts'
import type { PlatformConnection } from '../../src/generated/prisma/client.ts'
import { unsealCredentials } from '../../src/platforms/connections.ts'
import { larkDedupeKey } from '../../src/platforms/lark/inbound.ts'
import { startLarkLongConnection, type LarkWsClient, type LarkWsClientOptions } from '../../src/platforms/lark/long-connection.ts'
import { startLongConnections } from '../../src/platforms/long-connections.ts'
import { startWecomLongConnection, type WecomWsClient, type WecomWsClientOptions } from '../../src/platforms/wecom/long-connection.ts'
import { adminClient, createTenant } from '../admin/helpers.ts'
import { setupTestEnv, type TestEnv } from '../support/harness.ts'
import { BOT_OPEN_ID, larkCredentials, larkMessageEvent, signedLarkRequest, wecomCredentials } from '../support/pipeline.ts'
import { sleep, waitFor } from '../support/wait.ts'

const env = await setupTestEnv()

/** Stands in for the SDK's WSClient: start() keeps the dispatcher, push() does what handleEventData does with a frame. */
class FakeLarkClient implements LarkWsClient {
  dispatcher?: EventDispatcher
  closed = false
  constructor(readonly options: LarkWsClientOptions) {}
  async start(params: { eventDispatcher: EventDispatcher }) {
    this.dispatcher = params.eventDispatcher
  }
  close() {
    this.closed = true
  }
  /** The SDK JSON-parses the merged frame payload and calls invoke(data, { needCheck: false }). */
  push(v2Body: unknown): Promise<unknown> {
    if (!this.dispatcher) throw new Error('not started')
    return this.dispatcher.invoke(JSON.parse(JSON.stringify(v2Body)), { needCheck: false })
  }
}

/** Stands in for @wecom/aibot-node-sdk's WSClient: emit() plays the frames its MessageHandler would. */
class FakeWecomClient implements WecomWsClient {
  listeners = new Map<string, ((...args: any[]) => void)[]>()
  connected = false
  constructor(readonly options: WecomWsClientOptions) {}
  on(event: string, listener: (...args: any[]) => void) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener])
    return this
  }
  connect() {
    this.connected = true
    return this
  }
  disconnect() {
    this.connected = false
  }
  emit(event: string, ...args: unknown[]) {
    for (const listener of this.listeners.get(event) ?? []) listener(...args)
  }
}

function larkAppId(): string {
  return `cli_${randomBytes(8).toString('hex')}`
}

async function createConnection(
  platform: 'lark' | 'wecom',
  credentials: object,
  options: { tenantId?: string; mode?: 'webhook' | 'long_connection'; enabled?: boolean } = {},
): Promise<PlatformConnection> {
  const tenantId = options.tenantId ?? (await env.ctx.prisma.tenant.create({ data: { name: `LC ${randomUUID().slice(0, 6)}` } })).id
  return env.ctx.prisma.platformConnection.create({
    data: {
      tenantId,
      platform,
      mode: options.mode ?? 'long_connection',
      enabled: options.enabled ?? true,
      name: `${platform} long connection`,
      botUserId: platform === 'lark' ? BOT_OPEN_ID : null,
      credentials: env.ctx.secrets.sealJson(credentials),
    },
  })
}

async function storedEvents(platform: 'lark' | 'wecom', dedupeKey: string) {
  return env.ctx.prisma.inboundEvent.findMany({ where: { platform, dedupeKey } })
}

/** Queued inbound jobs that carry this event. */
async function jobsFor(inboundEventId: string) {
  const jobs = await env.ctx.queues.inbound.getJobs(['waiting', 'prioritized', 'delayed', 'active'])
  return jobs.filter((job) => job.data.inboundEventIds.includes(inboundEventId))
}

async function expectOneEventAndJob(platform: 'lark' | 'wecom', dedupeKey: string) {
  const rows = await storedEvents(platform, dedupeKey)
  expect(rows).toHaveLength(1)
  expect(await jobsFor(rows[0].id)).toHaveLength(1)
  return rows[0]
}

describe('Lark long connection', () => {
  it('stores an event flattened by the SDK dispatcher once, under its connection and message_id, and queues it once', async () => {
    const appId = larkAppId()
    const connection = await createConnection('lark', { ...larkCredentials, appId })
    let fake: FakeLarkClient | undefined
    const handle = await startLarkLongConnection(env.ctx, connection, unsealCredentials(env.ctx, connection, 'lark'), {
      createClient: (options) => (fake = new FakeLarkClient(options)),
    })
    afterAll(() => handle.close())
    expect(fake!.options).toMatchObject({ appId, appSecret: larkCredentials.appSecret, domain: env.config.LARK_API_BASE_URL })

    const chatId = `oc_${randomBytes(6).toString('hex')}`
    const body = larkMessageEvent({ chatId, text: '报修 3号楼电梯坏了' })
    for (let i = 0; i < 2; i++) await fake!.push(body)

    const row = await expectOneEventAndJob('lark', larkDedupeKey(connection.id, body.header.event_id, body.event.message.message_id))
    expect(row).toMatchObject({ tenantId: connection.tenantId, connectionId: connection.id, status: 'received' })
    expect(row.message).toMatchObject({
      platform: 'lark',
      connectionId: connection.id,
      chatId,
      chatType: 'group',
      text: '报修 3号楼电梯坏了',
      sender: { userId: 'ou_sender_1' },
      messageId: body.event.message.message_id,
    })
  })

  it('shares the dedupe key with the webhook: an event delivered both ways is stored once', async () => {
    const connection = await createConnection('lark', larkCredentials)
    let fake: FakeLarkClient | undefined
    const handle = await startLarkLongConnection(env.ctx, connection, unsealCredentials(env.ctx, connection, 'lark'), {
      createClient: (options) => (fake = new FakeLarkClient(options)),
    })
    afterAll(() => handle.close())
    const body = larkMessageEvent({ chatId: 'oc_both_ways', text: '我的工单' })
    const response = await env.app.inject(signedLarkRequest(connection.id, body))
    expect(response.statusCode).toBe(200)
    await fake!.push(body)
    await expectOneEventAndJob('lark', larkDedupeKey(connection.id, body.header.event_id, body.event.message.message_id))
  })

  it('runs a resend under a new event_id but the same message_id once, whichever way it arrives', async () => {
    const connection = await createConnection('lark', larkCredentials)
    let fake: FakeLarkClient | undefined
    const handle = await startLarkLongConnection(env.ctx, connection, unsealCredentials(env.ctx, connection, 'lark'), {
      createClient: (options) => (fake = new FakeLarkClient(options)),
    })
    afterAll(() => handle.close())
    const messageId = `om_${randomBytes(8).toString('hex')}`
    const first = larkMessageEvent({ chatId: 'oc_resend', text: '接单 #1001', messageId })
    const resend = larkMessageEvent({ chatId: 'oc_resend', text: '接单 #1001', messageId })
    expect(resend.header.event_id).not.toBe(first.header.event_id)
    await fake!.push(first)
    expect((await env.app.inject(signedLarkRequest(connection.id, resend))).statusCode).toBe(200)
    await fake!.push(resend)
    await expectOneEventAndJob('lark', larkDedupeKey(connection.id, first.header.event_id, messageId))
  })

  it('acknowledges and drops a malformed event instead of having Lark re-push it', async () => {
    const connection = await createConnection('lark', larkCredentials)
    let fake: FakeLarkClient | undefined
    const handle = await startLarkLongConnection(env.ctx, connection, unsealCredentials(env.ctx, connection, 'lark'), {
      createClient: (options) => (fake = new FakeLarkClient(options)),
    })
    afterAll(() => handle.close())
    const body = larkMessageEvent({ chatId: 'oc_x', text: 'x' }) as { header: { event_id: string }; event: { message: Record<string, unknown> } }
    delete body.event.message.chat_id
    await expect(fake!.push(body)).resolves.toBeUndefined()
    expect(await storedEvents('lark', body.header.event_id)).toHaveLength(0)
  })

  it('refuses an app id the SDK would silently ignore', async () => {
    const connection = await createConnection('lark', { ...larkCredentials, appId: 'not-a-lark-app' })
    await expect(
      startLarkLongConnection(env.ctx, connection, unsealCredentials(env.ctx, connection, 'lark'), { createClient: (o) => new FakeLarkClient(o) }),
    ).rejects.toThrow(/cli_/)
  })
})

function wecomFrame(body: Partial<BaseMessage> & { msgid: string; text?: { content: string } }): WsFrame<BaseMessage> {
  return {
    cmd: 'aibot_msg_callback',
    headers: { req_id: randomUUID() },
    body: { aibotid: 'aibot-lc', chattype: 'group', from: { userid: 'lisi' }, msgtype: 'text', ...body } as BaseMessage,
  }
}

describe('WeCom long connection', () => {
  it('stores a text message once under `${connectionId}:${msgid}` and queues it once', async () => {
    const connection = await createConnection('wecom', { ...wecomCredentials, botId: 'aibot-lc', botSecret: 'bot-secret-lc' })
    let fake: FakeWecomClient | undefined
    const handle = await startWecomLongConnection(env.ctx, connection, unsealCredentials(env.ctx, connection, 'wecom'), {
      createClient: (options) => (fake = new FakeWecomClient(options)),
    })
    afterAll(() => handle.close())
    expect(fake!.options).toMatchObject({ botId: 'aibot-lc', secret: 'bot-secret-lc', maxReconnectAttempts: -1 })
    expect(fake!.connected).toBe(true)

    const frame = wecomFrame({ msgid: `msg-${randomUUID()}`, chatid: 'wr-lc-group', text: { content: '@前台助手 我的工单' } })
    fake!.emit('message', frame)
    fake!.emit('message', frame)
    const dedupeKey = `${connection.id}:${frame.body!.msgid}`
    await waitFor(async () => (await storedEvents('wecom', dedupeKey)).length > 0, { what: 'the stored message' })
    await sleep(100)
    const row = await expectOneEventAndJob('wecom', dedupeKey)
    expect(row.message).toMatchObject({
      platform: 'wecom',
      connectionId: connection.id,
      chatId: 'wr-lc-group',
      chatType: 'group',
      text: '我的工单',
      sender: { userId: 'lisi' },
      messageId: frame.body!.msgid,
    })

    // Events and non-text messages are not commands.
    fake!.emit('message', wecomFrame({ msgid: 'img-1', chatid: 'wr-lc-group', msgtype: 'image' }))
    await sleep(100)
    expect(await storedEvents('wecom', `${connection.id}:img-1`)).toHaveLength(0)

    await handle.close()
    expect(fake!.connected).toBe(false)
  })

  it('refuses to start without the robot id and secret', async () => {
    const connection = await createConnection('wecom', wecomCredentials)
    await expect(
      startWecomLongConnection(env.ctx, connection, unsealCredentials(env.ctx, connection, 'wecom'), { createClient: (o) => new FakeWecomClient(o) }),
    ).rejects.toThrow(/robot id and secret/)
  })
})

/** A context whose log lines are kept, to check what a failing connection writes. */
function capturingContext(base: TestEnv['ctx']): { ctx: AppContext; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = []
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line))
      done()
    },
  })
  return { ctx: { ...base, log: pino({ level: 'info' }, stream) }, lines }
}

describe('long-connection manager', () => {
  it('runs clients for enabled long_connection connections only, follows admin changes, and isolates failures', async () => {
    const admin = adminClient(env)
    const tenantId = await createTenant(env, '长连接物业')
    const create = async (body: object) => {
      const response = await admin.post(`/tenants/${tenantId}/connections`, body)
      expect(response.statusCode).toBe(201)
      return response.json().id as string
    }
    const larkId = larkAppId()
    const lark = await create({ platform: 'lark', name: 'Lark LC', mode: 'long_connection', credentials: { ...larkCredentials, appId: larkId } })
    const wecom = await create({
      platform: 'wecom',
      name: 'WeCom LC',
      mode: 'long_connection',
      credentials: { ...wecomCredentials, botId: 'bot-ok', botSecret: 'secret-ok' },
    })
    const brokenSecret = 'secret-of-the-broken-bot'
    const broken = await create({
      platform: 'wecom',
      name: 'WeCom broken',
      mode: 'long_connection',
      credentials: { ...wecomCredentials, botId: 'bot-broken', botSecret: brokenSecret },
    })
    const badAppId = (await createConnection('lark', { ...larkCredentials, appId: 'bad-app-id' }, { tenantId })).id
    const webhook = await create({ platform: 'lark', name: 'Lark webhook', credentials: { ...larkCredentials, appId: larkAppId() } })
    const disabled = (await createConnection('lark', { ...larkCredentials, appId: larkAppId() }, { tenantId, enabled: false })).id

    const larkFakes = new Map<string, FakeLarkClient>()
    const wecomFakes = new Map<string, FakeWecomClient>()
    const { ctx, lines } = capturingContext(env.ctx)
    const manager = startLongConnections(ctx, {
      refreshIntervalMs: 100,
      lark: {
        createClient: (options) => {
          const fake = new FakeLarkClient(options)
          larkFakes.set(options.appId, fake)
          return fake
        },
      },
      wecom: {
        createClient: (options) => {
          if (options.botId === 'bot-broken') throw new Error('robot login refused')
          const fake = new FakeWecomClient(options)
          wecomFakes.set(options.botId, fake)
          return fake
        },
      },
    })
    afterAll(() => manager.close())

    await waitFor(() => manager.running().includes(lark) && manager.running().includes(wecom), { what: 'both healthy clients' })
    for (const id of [broken, badAppId, webhook, disabled]) expect(manager.running()).not.toContain(id)
    expect(larkFakes.get(larkId)?.dispatcher).toBeDefined()
    expect(wecomFakes.get('bot-ok')?.connected).toBe(true)

    // The healthy Lark client works while its neighbours failed.
    const body = larkMessageEvent({ chatId: 'oc_manager', text: '进度' })
    await larkFakes.get(larkId)!.push(body)
    await expectOneEventAndJob('lark', larkDedupeKey(lark, body.header.event_id, body.event.message.message_id))

    // Disabled through the admin API: stopped at the next refresh; the others keep running.
    expect((await admin.post(`/connections/${lark}/disable`)).statusCode).toBe(200)
    await waitFor(() => !manager.running().includes(lark), { what: 'the disabled client to stop' })
    expect(larkFakes.get(larkId)!.closed).toBe(true)
    expect(manager.running()).toContain(wecom)
    expect(wecomFakes.get('bot-ok')!.connected).toBe(true)

    // Added through the admin API: started at the next refresh.
    const added = await create({
      platform: 'wecom',
      name: 'WeCom added',
      mode: 'long_connection',
      credentials: { ...wecomCredentials, botId: 'bot-added', botSecret: 'secret-added' },
    })
    await waitFor(() => manager.running().includes(added), { what: 'the added client' })

    // Several refreshes later each failure was still logged once, and without the secret.
    await manager.refresh()
    await sleep(300)
    const failures = lines.filter((line) => line.msg === 'long connection could not start')
    expect(failures.filter((line) => line.connectionId === broken)).toHaveLength(1)
    expect(failures.filter((line) => line.connectionId === badAppId)).toHaveLength(1)
    expect(failures.find((line) => line.connectionId === broken)).toMatchObject({ platform: 'wecom', err: 'robot login refused' })
    expect(JSON.stringify(lines)).not.toContain(brokenSecret)
    expect(JSON.stringify(lines)).not.toContain(larkCredentials.appSecret)

    await manager.close()
    expect(manager.running()).toEqual([])
    expect(wecomFakes.get('bot-ok')!.connected).toBe(false)
    expect(wecomFakes.get('bot-added')!.connected).toBe(false)
  })
})
