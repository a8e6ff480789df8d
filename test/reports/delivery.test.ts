import { createHash } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { runGroupSummaries } from '../../src/jobs/summaries.ts'
import type { Reply } from '../../src/messages/reply.ts'
import { enqueueOutgoing } from '../../src/outbox/outbox.ts'
import { startFakeLark } from '../support/fake-lark.ts'
import { startFakeWecom } from '../support/fake-wecom.ts'
import { setupTestEnv } from '../support/harness.ts'
import { createLarkSetup, createWecomAppSetup, createWecomSetup, larkCredentials, startTestWorkers, wecomAppCredentials } from '../support/pipeline.ts'
import { waitFor } from '../support/wait.ts'

const lark = await startFakeLark({ appId: larkCredentials.appId, appSecret: larkCredentials.appSecret })
const wecom = await startFakeWecom({
  keys: ['push-key-report', 'push-key-long'],
  apps: [{ corpId: wecomAppCredentials.corpId, corpSecret: wecomAppCredentials.corpSecret, agentId: wecomAppCredentials.agentId }],
})
afterAll(async () => {
  await lark.close()
  await wecom.close()
})
const env = await setupTestEnv({ LARK_API_BASE_URL: lark.url, WECOM_API_BASE_URL: wecom.url })
startTestWorkers(env)
const prisma = env.ctx.prisma
// 18:00 in Shanghai, a group's default summary time.
const now = new Date('2030-03-06T10:00:00Z')

const delivered = (groupId: string) =>
  waitFor(async () => {
    const rows = await prisma.outgoingMessage.findMany({ where: { groupId } })
    return rows.length > 0 && rows.every((r) => r.status === 'delivered') ? rows : null
  }, { what: 'the summary to be delivered', timeoutMs: 30_000 })

async function chartOf(groupId: string): Promise<Buffer> {
  const [row] = await prisma.outgoingMessage.findMany({ where: { groupId } })
  const id = (row.payload as Reply).image?.id
  expect(id).toBeTruthy()
  return Buffer.from((await prisma.reportImage.findUniqueOrThrow({ where: { id: id! } })).png)
}

const workspaceLink = '完整报表见工作台：https://frontdesk.example.com/workspace'
/** A report far longer than any one message: 600 lines of about 60 bytes. */
const longReply = (imageId?: string): Reply => ({
  heading: '管理日报 2030-03-06',
  lines: Array.from({ length: 600 }, (_, i) => `第${i + 1}行 **员工${i}**：取消 ${i % 7}，未到 ${i % 3}，满意度 ${(i % 5) + 1}`),
  mentions: [],
  buttons: [],
  overflowNote: workspaceLink,
  ...(imageId ? { image: { id: imageId } } : {}),
})

/** Every shown line is one of the reply's lines, whole, or the workspace link at the very end. */
function expectWholeLinesEndingWithLink(shown: string[], reply: Reply) {
  expect(shown.at(-1)).toBe(workspaceLink)
  expect(shown.length).toBeGreaterThan(10)
  for (const line of shown.slice(0, -1)) expect(reply.lines).toContain(line)
  expect(shown.slice(0, -1)).toEqual(reply.lines.slice(0, shown.length - 1))
}

describe('the daily summary with its trend chart', () => {
  it('on Lark: the chart is uploaded as a message image and shown in the summary card', async () => {
    const { group } = await createLarkSetup(env)
    expect(await runGroupSummaries(env.ctx, { groupId: group!.id, report: 'daily', now })).toBe(1)
    await delivered(group!.id)
    const cards = lark.messages.filter((m) => m.receiveId === group!.externalId)
    expect(cards).toHaveLength(1)
    expect(cards[0].msgType).toBe('interactive')
    expect(cards[0].content.header.title.content).toBe('前台日报 2030-03-06')
    const img = cards[0].content.elements.find((e: { tag: string }) => e.tag === 'img')
    const upload = lark.images.find((i) => i.imageKey === img.img_key)
    expect(upload?.bytes).toEqual(await chartOf(group!.id))
  })

  it('on a WeCom group: markdown, then an image message whose md5 is of the PNG bytes', async () => {
    const { group } = await createWecomSetup(env, { pushKey: 'push-key-report' })
    expect(await runGroupSummaries(env.ctx, { groupId: group.id, report: 'daily', now })).toBe(1)
    await delivered(group.id)
    const sent = wecom.messages.filter((m) => m.key === 'push-key-report')
    expect(sent.map((m) => m.msgtype)).toEqual(['markdown', 'image'])
    expect(sent[0].content).toContain('**维修日报 2030-03-06**')
    const png = await chartOf(group.id)
    expect(sent[1].image).toEqual(png)
    expect(sent[1].content).toBe(createHash('md5').update(png).digest('hex'))
  })

  it('in a WeCom app chat: uploaded as temporary media and sent as an image message', async () => {
    const { tenant, connection } = await createWecomAppSetup(env)
    const png = Buffer.from(await (await import('../../src/domain/reports/chart.ts')).trendChartPng({ tenantId: tenant.id, timeZone: 'Asia/Shanghai', dates: ['2030-03-05', '2030-03-06'], series: [{ key: 'bookings', values: [1, 2] }] }, 'zh').png)
    const image = await prisma.reportImage.create({ data: { tenantId: tenant.id, png: new Uint8Array(png), width: 800, height: 400 } })
    const id = await enqueueOutgoing(env.ctx, {
      tenantId: tenant.id,
      platform: 'wecom',
      connectionId: connection.id,
      groupId: null,
      destination: 'single:lisi',
      reply: { heading: '前台日报', lines: ['**报修** 新增 1'], mentions: [], buttons: [], image: { id: image.id } },
      idempotencyKey: 'app-chart',
    })
    await waitFor(async () => (await prisma.outgoingMessage.findUniqueOrThrow({ where: { id } })).status === 'delivered', { what: 'app delivery' })
    const sent = wecom.messages.filter((m) => m.touser === 'lisi')
    expect(sent.map((m) => m.msgtype)).toEqual(['markdown', 'image'])
    expect(sent[1].image).toEqual(png)
    expect([...wecom.media.values()].map((m) => m.fileName)).toEqual(['trend.png'])
  })

  it('in the console: the message links the chart, served for the group tenant only', async () => {
    const tenant = await prisma.tenant.create({ data: { name: '控制台物业' } })
    const group = await prisma.chatGroup.create({ data: { tenantId: tenant.id, platform: 'console', externalId: 'console-mgmt', name: '管理群', purpose: 'management' } })
    const stranger = await prisma.tenant.create({ data: { name: '别家物业' } })
    const strangerGroup = await prisma.chatGroup.create({ data: { tenantId: stranger.id, platform: 'console', externalId: 'console-other', name: '前台群', purpose: 'front_desk' } })
    expect(await runGroupSummaries(env.ctx, { groupId: group.id, report: 'daily', now })).toBe(1)
    await delivered(group.id)
    const listed = await env.app.inject({ method: 'GET', url: `/console/groups/${group.id}/messages` })
    const text: string = listed.json().messages[0].text
    const url = /\[图片 image\] (\S+)/.exec(text)?.[1]
    expect(url).toMatch(/^https:\/\/frontdesk\.example\.com\/console\/images\//)
    const path = new URL(url!).pathname + new URL(url!).search
    const served = await env.app.inject({ method: 'GET', url: path })
    expect(served.statusCode).toBe(200)
    expect(served.headers['content-type']).toBe('image/png')
    expect(served.rawPayload).toEqual(await chartOf(group.id))

    const imageId = new URL(url!).pathname.split('/').at(-1)!
    const otherTenant = await env.app.inject({ method: 'GET', url: `/console/images/${imageId}?group=${strangerGroup.id}` })
    expect(otherTenant.statusCode).toBe(404)
    expect((await env.app.inject({ method: 'GET', url: `/console/images/no-such-image?group=${group.id}` })).statusCode).toBe(404)
    expect((await env.app.inject({ method: 'GET', url: `/console/images/${imageId}` })).statusCode).toBe(400)
  })
})

describe('a summary longer than one message', () => {
  it('is one Lark card within 30 KB: whole lines, then the workspace link, and the chart', async () => {
    const { tenant, connection, group } = await createLarkSetup(env)
    const image = await prisma.reportImage.findFirstOrThrow()
    const own = await prisma.reportImage.create({ data: { tenantId: tenant.id, png: image.png, width: image.width, height: image.height } })
    const reply = longReply(own.id)
    await enqueueOutgoing(env.ctx, { tenantId: tenant.id, platform: 'lark', connectionId: connection.id, groupId: group!.id, destination: group!.externalId, reply, idempotencyKey: 'long-lark' })
    await delivered(group!.id)
    const cards = lark.messages.filter((m) => m.receiveId === group!.externalId)
    expect(cards).toHaveLength(1)
    const div = cards[0].content.elements.find((e: { tag: string }) => e.tag === 'div')
    expectWholeLinesEndingWithLink(div.text.content.split('\n'), reply)
    expect(cards[0].content.elements.some((e: { tag: string }) => e.tag === 'img')).toBe(true)
  })

  it('is one WeCom markdown message within 4096 bytes: whole lines, then the workspace link', async () => {
    const { tenant, connection, group } = await createWecomSetup(env, { pushKey: 'push-key-long' })
    const reply = longReply()
    await enqueueOutgoing(env.ctx, { tenantId: tenant.id, platform: 'wecom', connectionId: connection.id, groupId: group.id, destination: group.externalId, reply, idempotencyKey: 'long-wecom' })
    await delivered(group.id)
    const sent = wecom.messages.filter((m) => m.key === 'push-key-long')
    expect(sent).toHaveLength(1)
    expect(Buffer.byteLength(sent[0].content)).toBeLessThanOrEqual(4096)
    const [heading, ...shown] = sent[0].content.split('\n')
    expect(heading).toBe('**管理日报 2030-03-06**')
    expectWholeLinesEndingWithLink(shown, reply)
  })
})
