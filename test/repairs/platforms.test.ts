import { randomBytes } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { runDueReminders } from '../../src/jobs/reminders.ts'
import { createServices } from '../../src/services.ts'
import { startFakeLark, type RecordedLarkMessage } from '../support/fake-lark.ts'
import { startFakeWecom, type RecordedWecomMessage } from '../support/fake-wecom.ts'
import { setupTestEnv } from '../support/harness.ts'
import {
  BOT_OPEN_ID,
  larkCredentials,
  larkMessageEvent,
  signedLarkRequest,
  signedWecomRobotRequest,
  startTestWorkers,
  wecomCredentials,
} from '../support/pipeline.ts'
import { sleep, waitFor } from '../support/wait.ts'

// The fakes first: the app is configured with their addresses.
const PUSH_KEY = 'maintenance-push-key-0001'
const lark = await startFakeLark({ appId: larkCredentials.appId, appSecret: larkCredentials.appSecret })
const wecom = await startFakeWecom({ keys: [PUSH_KEY] })
afterAll(async () => {
  await lark.close()
  await wecom.close()
})
const env = await setupTestEnv({ LARK_API_BASE_URL: lark.url, WECOM_API_BASE_URL: wecom.url })
// A Tuesday, 10:00 in Shanghai, in the future: BullMQ's own timers stay out of the way.
const start = new Date('2030-01-08T02:00:00Z')
env.clock.set(start)
const minutes = (n: number) => new Date(start.getTime() + n * 60_000)

// One tenant: the front desk talks on Lark, maintenance on WeCom (robot + message-push key).
const prisma = env.ctx.prisma
const tenant = await prisma.tenant.create({ data: { name: '飞书企微物业', timeZone: 'Asia/Shanghai' } })
const larkConnection = await prisma.platformConnection.create({
  data: { tenantId: tenant.id, platform: 'lark', name: 'Lark app', appId: larkCredentials.appId, botUserId: BOT_OPEN_ID, credentials: env.ctx.secrets.sealJson(larkCredentials) },
})
const wecomConnection = await prisma.platformConnection.create({
  data: { tenantId: tenant.id, platform: 'wecom', name: '智能机器人', appId: 'aibot-1', credentials: env.ctx.secrets.sealJson(wecomCredentials) },
})
const larkChatId = `oc_${randomBytes(8).toString('hex')}`
const wecomChatId = `wr${randomBytes(8).toString('hex')}`
await prisma.chatGroup.create({
  data: { tenantId: tenant.id, connectionId: larkConnection.id, platform: 'lark', externalId: larkChatId, name: '前台群', purpose: 'front_desk' },
})
await prisma.chatGroup.create({
  data: {
    tenantId: tenant.id,
    connectionId: wecomConnection.id,
    platform: 'wecom',
    externalId: wecomChatId,
    name: '维修群',
    purpose: 'maintenance',
    pushKey: env.ctx.secrets.seal(PUSH_KEY),
  },
})
const member = (platform: 'lark' | 'wecom', externalUserId: string, name: string, role: 'agent' | 'technician' | 'supervisor') =>
  prisma.member.create({ data: { tenantId: tenant.id, platform, externalUserId, name, roles: [role] } })
const agent = await member('lark', 'ou_agent_li', '前台小李', 'agent')
await member('lark', 'ou_supervisor_liu', '刘主管', 'supervisor')
const zhang = await member('wecom', 'zhangshifu', '张师傅', 'technician')
await member('wecom', 'lishifu', '李师傅', 'technician')

const services = createServices(env.ctx)
startTestWorkers(env, { handleChat: services.handleChat, fireReminder: services.fireReminder })
const runDue = () => runDueReminders(env.ctx, services.fireReminder, env.clock.now())

const larkContent = (m: RecordedLarkMessage) => JSON.stringify(m.content)
const pushes = () => wecom.messages.filter((m) => m.key === PUSH_KEY)
const answerOn = (responseUrl: string) => (m: RecordedWecomMessage) => m.responseCode !== undefined && responseUrl.endsWith(`response_code=${m.responseCode}`)

describe('a front desk on Lark and a maintenance group on WeCom', () => {
  let number = 0

  it('answers a Lark repair in the thread of the message, with the ticket number and the phone masked', async () => {
    const event = larkMessageEvent({ chatId: larkChatId, text: '报修 3-2-501 厨房水管漏水 紧急 13800138000', sender: agent.externalUserId, messageId: 'om_repair_report' })
    const response = await env.app.inject(signedLarkRequest(larkConnection.id, event))
    expect(response.statusCode).toBe(200)

    const reply = await waitFor(() => lark.messages.find((m) => m.replyTo === 'om_repair_report'), { what: 'the reply in the thread' })
    const text = larkContent(reply)
    number = Number(text.match(/已登记报修 #(\d+)/)?.[1])
    expect(number).toBe(1001)
    expect(text).toContain('138****8000')
    expect(text).not.toContain('13800138000')
    expect(text).toContain('到场时限：今天 10:15 前')
    // In the thread, not as a separate message in the chat.
    expect(lark.messages.filter((m) => m.receiveId === larkChatId)).toHaveLength(0)

    const ticket = await prisma.ticket.findFirstOrThrow({ where: { tenantId: tenant.id, number } })
    expect(ticket).toMatchObject({ reporterId: agent.id, priority: 'urgent', unit: '3-2-501', contactPhone: '13800138000', status: 'open' })
  })

  it('pushes the new repair to the WeCom maintenance group on its key, @-mentioning the technicians', async () => {
    const push = await waitFor(() => pushes().find((m) => m.content.includes(`新报修 #${number}`)), { what: 'the new-repair push' })
    expect(push.msgtype).toBe('markdown')
    expect(push.content).toContain('<@zhangshifu>')
    expect(push.content).toContain('<@lishifu>')
    expect(push.content).not.toContain('<@ou_')
    expect(push.content).toContain('138****8000')
    expect(push.content).not.toContain('13800138000')
    expect(push.content).toContain(`接单 ${number}`)
  })

  it('sends the 5-minute unassigned alert to WeCom too, and nothing to Lark', async () => {
    const larkBefore = lark.messages.length
    env.clock.set(minutes(5))
    expect(await runDue()).toBe(1)
    const alert = await waitFor(() => pushes().find((m) => m.content.includes('无人接单')), { what: 'the unassigned alert push' })
    expect(alert.content).toContain(`#${number}`)
    expect(alert.content).toContain('5 分钟')
    expect(alert.content).toContain('<@zhangshifu>')
    await sleep(500)
    expect(lark.messages.length).toBe(larkBefore)
    expect(pushes().filter((m) => m.content.includes('无人接单'))).toHaveLength(1)
  })

  it('lets a technician claim it from WeCom, answering on the message’s response_url', async () => {
    env.clock.set(minutes(6))
    const pushesBefore = pushes().length
    const responseUrl = wecom.issueResponseUrl()
    const request = signedWecomRobotRequest(wecomConnection.id, { chatId: wecomChatId, userId: zhang.externalUserId, text: `接单 #${number}`, responseUrl })
    const response = await env.app.inject(request)
    expect(response.statusCode).toBe(200)

    const answer = await waitFor(() => wecom.messages.find(answerOn(responseUrl)), { what: 'the answer on the response_url' })
    expect(answer.content).toContain(`张师傅 已接单 #${number}`)
    expect(answer.content).toContain('请在 今天 10:15 前到场')

    const ticket = await prisma.ticket.findFirstOrThrow({ where: { tenantId: tenant.id, number } })
    expect(ticket.status).toBe('assigned')
    expect(ticket.assigneeId).toBe(zhang.id)
    // The answer used the response_url, not the group's push key.
    await sleep(300)
    expect(pushes().length).toBe(pushesBefore)
  })

  it('answers a message from an unbound Lark group once, saying how to bind it, and records nothing', async () => {
    const ticketsBefore = await prisma.ticket.count()
    const pushesBefore = pushes().length
    const unboundChat = `oc_${randomBytes(8).toString('hex')}`
    const event = larkMessageEvent({ chatId: unboundChat, text: '报修 3-2-501 厨房水管漏水 紧急 13800138000', sender: 'ou_stranger', messageId: 'om_unbound_report' })
    expect((await env.app.inject(signedLarkRequest(larkConnection.id, event))).statusCode).toBe(200)

    const reply = await waitFor(() => lark.messages.find((m) => m.replyTo === 'om_unbound_report'), { what: 'the reply in the unbound group' })
    expect(larkContent(reply)).toContain('绑定')
    await sleep(500)
    expect(lark.messages.filter((m) => m.replyTo === 'om_unbound_report')).toHaveLength(1)
    expect(lark.messages.filter((m) => m.receiveId === unboundChat)).toHaveLength(0)
    expect(await prisma.ticket.count()).toBe(ticketsBefore)
    expect(await prisma.chatGroup.count({ where: { externalId: unboundChat } })).toBe(0)
    expect(pushes().length).toBe(pushesBefore)
  })
})
