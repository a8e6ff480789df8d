import { afterAll, describe, expect, it } from 'vitest'
import { textReply } from '../../src/messages/reply.ts'
import { enqueueOutgoing } from '../../src/outbox/outbox.ts'
import { startFakeLark } from '../support/fake-lark.ts'
import { startFakeWecom } from '../support/fake-wecom.ts'
import { setupTestEnv } from '../support/harness.ts'
import { createLarkSetup, createWecomSetup, larkCredentials, startTestWorkers } from '../support/pipeline.ts'
import { waitFor } from '../support/wait.ts'

const lark = await startFakeLark({ appId: larkCredentials.appId, appSecret: larkCredentials.appSecret })
const wecom = await startFakeWecom({ keys: ['push-key-outbound', 'push-key-burst'] })
afterAll(async () => {
  await lark.close()
  await wecom.close()
})
const env = await setupTestEnv({ LARK_API_BASE_URL: lark.url, WECOM_API_BASE_URL: wecom.url })
startTestWorkers(env)
const larkSetup = await createLarkSetup(env)
const wecomSetup = await createWecomSetup(env, { pushKey: 'push-key-outbound' })

function pushToLark(key: string, text: string) {
  return enqueueOutgoing(env.ctx, {
    tenantId: larkSetup.tenant.id,
    platform: 'lark',
    connectionId: larkSetup.connection.id,
    groupId: larkSetup.group!.id,
    destination: larkSetup.chatId,
    reply: textReply(text),
    idempotencyKey: key,
  })
}

function pushToWecom(groupId: string, connectionId: string, key: string, text: string) {
  return enqueueOutgoing(env.ctx, {
    tenantId: wecomSetup.tenant.id,
    platform: 'wecom',
    connectionId,
    groupId,
    destination: 'chat',
    reply: textReply(text),
    idempotencyKey: key,
  })
}

const row = (id: string) => env.ctx.prisma.outgoingMessage.findUniqueOrThrow({ where: { id } })

describe('outgoing messages', () => {
  it('arrive when the platform fails twice with 500 and then succeeds', async () => {
    lark.failNext(2, { status: 500 })
    const id = await pushToLark('retry-500', '第三次才成功')
    await waitFor(async () => (await row(id)).status === 'delivered', { what: 'delivery', timeoutMs: 20_000 })
    expect(lark.messages.filter((m) => m.content.text === '第三次才成功')).toHaveLength(1)
    expect((await row(id)).attempts).toBe(3)
  })

  it('are sent once for one idempotency key, however often they are queued', async () => {
    const first = await pushToLark('same-key', '只发一次')
    const second = await pushToLark('same-key', '只发一次')
    expect(second).toBe(first)
    await waitFor(async () => (await row(first)).status === 'delivered')
    expect(lark.messages.filter((m) => m.content.text === '只发一次')).toHaveLength(1)
  })

  it('wait out a WeCom 45009 throttle without failing', async () => {
    wecom.failNext(1, { errcode: 45009 })
    const id = await pushToWecom(wecomSetup.group.id, wecomSetup.connection.id, 'throttled', '被限流后仍送达')
    await waitFor(async () => (await row(id)).lastError?.includes('throttled'), { what: 'the throttle to be recorded' })
    const waiting = await row(id)
    expect(waiting).toMatchObject({ status: 'pending', deadLetter: false })
    const job = await env.ctx.queues.outbound.getJob(id)
    expect(await job?.getState()).toBe('delayed')
    // The platform asked for a minute; bring the job forward instead of waiting in the test.
    await env.ctx.redis.del(`${env.prefix}:limit-paused:wecom:${wecomSetup.group.id}`)
    await job?.changeDelay(0)
    await waitFor(async () => (await row(id)).status === 'delivered', { what: 'delivery after the throttle' })
    expect(wecom.messages.filter((m) => m.content.includes('被限流后仍送达'))).toHaveLength(1)
  })

  it('become a visible dead letter on a permanent error, without retries', async () => {
    lark.failNext(1, { status: 400, code: 230002 })
    const id = await pushToLark('bot-removed', '机器人已被移出群')
    const dead = await waitFor(async () => {
      const current = await row(id)
      return current.status === 'dead' ? current : null
    })
    expect(dead).toMatchObject({ deadLetter: true, attempts: 1 })
    expect(dead.lastError).toContain('230002')
    const listed = await env.app.inject({
      method: 'GET',
      url: `/admin/api/tenants/${larkSetup.tenant.id}/dead-letters`,
      headers: { authorization: `Bearer ${env.config.ADMIN_TOKEN}` },
    })
    expect(listed.json()).toEqual(expect.arrayContaining([expect.objectContaining({ id, lastError: expect.stringContaining('230002') })]))
  })

  it('respect WeCom’s 20 per minute: 30 pushes to one group all arrive, never more than 20 in a minute', async () => {
    const burstGroup = await env.ctx.prisma.chatGroup.create({
      data: {
        tenantId: wecomSetup.tenant.id,
        connectionId: wecomSetup.connection.id,
        platform: 'wecom',
        externalId: 'burst-chat',
        name: '压力群',
        purpose: 'front_desk',
        pushKey: env.ctx.secrets.seal('push-key-burst'),
      },
    })
    const started = Date.now()
    for (let i = 0; i < 30; i++) await pushToWecom(burstGroup.id, wecomSetup.connection.id, `burst-${i}`, `第${i + 1}条`)
    await waitFor(() => wecom.messages.filter((m) => m.key === 'push-key-burst').length === 30, { timeoutMs: 150_000, intervalMs: 500, what: '30 pushes' })
    const times = wecom.messages.filter((m) => m.key === 'push-key-burst').map((m) => m.at)
    for (const at of times) expect(times.filter((t) => t >= at && t < at + 60_000).length).toBeLessThanOrEqual(20)
    expect(Date.now() - started).toBeGreaterThanOrEqual(60_000)
    // The platform has them all; the rows catch up as each delivery is recorded.
    await waitFor(async () => {
      const rows = await env.ctx.prisma.outgoingMessage.findMany({ where: { groupId: burstGroup.id } })
      return rows.length === 30 && rows.every((r) => r.status === 'delivered' && !r.deadLetter)
    }, { what: 'all 30 rows delivered' })
  }, 180_000)
})
