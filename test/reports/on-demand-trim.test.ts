import { randomBytes } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { createServices } from '../../src/services.ts'
import { startFakeWecom, type RecordedWecomMessage } from '../support/fake-wecom.ts'
import { setupTestEnv } from '../support/harness.ts'
import { signedWecomRobotRequest, startTestWorkers, wecomCredentials } from '../support/pipeline.ts'
import { waitFor } from '../support/wait.ts'

// 日报 typed in a WeCom group, through the signed webhook, the command layer and the fake WeCom's
// response_url: a report longer than one 4096-byte markdown message keeps its leading whole
// lines and ends with the workspace link, as the scheduled summary does.
const PUSH_KEY = 'maintenance-push-key-on-demand'
const wecom = await startFakeWecom({ keys: [PUSH_KEY] })
afterAll(() => wecom.close())
const env = await setupTestEnv({ WECOM_API_BASE_URL: wecom.url })
const prisma = env.ctx.prisma
const WORKSPACE_LINK = '完整报表见工作台：https://frontdesk.example.com/workspace'
const WECOM_MARKDOWN_MAX_BYTES = 4096

const tenant = await prisma.tenant.create({ data: { name: '企微日报物业', timeZone: 'Asia/Shanghai' } })
const connection = await prisma.platformConnection.create({
  data: { tenantId: tenant.id, platform: 'wecom', name: '智能机器人', appId: 'aibot-1', credentials: env.ctx.secrets.sealJson(wecomCredentials) },
})
const chatId = `wr${randomBytes(8).toString('hex')}`
await prisma.chatGroup.create({
  data: { tenantId: tenant.id, connectionId: connection.id, platform: 'wecom', externalId: chatId, name: '维修群', purpose: 'maintenance', pushKey: env.ctx.secrets.seal(PUSH_KEY) },
})
const foreman = await prisma.member.create({ data: { tenantId: tenant.id, platform: 'wecom', externalUserId: 'zhanggong', name: '张工', roles: ['technician'] } })

const services = createServices(env.ctx)
startTestWorkers(env, { handleChat: services.handleChat, fireReminder: services.fireReminder })

/** Sends `text` to the bot in the WeCom group and returns the answer as WeCom received it. */
async function says(userId: string, text: string): Promise<RecordedWecomMessage> {
  const responseUrl = wecom.issueResponseUrl()
  const response = await env.app.inject(signedWecomRobotRequest(connection.id, { chatId, userId, text, responseUrl }))
  expect(response.statusCode, `posting "${text}": ${response.body}`).toBe(200)
  const answerOn = (m: RecordedWecomMessage) => m.responseCode !== undefined && responseUrl.endsWith(`response_code=${m.responseCode}`)
  return waitFor(() => wecom.messages.find(answerOn), { what: `the answer to "${text}"`, timeoutMs: 15_000 })
}

/** 400 technicians with an open repair each: one line per technician, far over one message. */
async function busyDay(technicians: number) {
  const today = env.clock.now()
  await prisma.member.createMany({
    data: Array.from({ length: technicians }, (_, i) => ({ tenantId: tenant.id, platform: 'wecom' as const, externalUserId: `tech-${i}`, name: `师傅${String(i).padStart(3, '0')}`, roles: ['technician' as const] })),
  })
  const members = await prisma.member.findMany({ where: { tenantId: tenant.id, externalUserId: { startsWith: 'tech-' } }, orderBy: { name: 'asc' } })
  await prisma.ticket.createMany({
    data: members.map((m, i) => ({
      tenantId: tenant.id, number: 2001 + i, kind: 'repair' as const, status: 'assigned' as const, unit: `1-1-${i}`, description: '灯不亮',
      assigneeId: m.id, createdAt: new Date(today.getTime() - 60 * 60_000), assignedAt: today,
    })),
  })
  return members.map((m) => m.name)
}

describe('日报 on demand, too long for one message', () => {
  it('a report that fits is sent whole, with no workspace link', async () => {
    const answer = await says(foreman.externalUserId, '日报')
    expect(answer.content).toContain('维修日报 2026-11-23')
    expect(answer.content).not.toContain(WORKSPACE_LINK)
  })

  it('keeps whole lines within 4096 bytes and ends with the link to the workspace', async () => {
    const names = await busyDay(400)
    const answer = await says(foreman.externalUserId, '日报')
    expect(answer.msgtype).toBe('markdown')
    expect(Buffer.byteLength(answer.content)).toBeLessThanOrEqual(WECOM_MARKDOWN_MAX_BYTES)
    const lines = answer.content.split('\n')
    expect(lines[0]).toBe('**维修日报 2026-11-23**')
    expect(lines.at(-1)).toBe(WORKSPACE_LINK)
    // The technicians shown are the first ones, in order, each line whole; the rest are in the workspace.
    const shown = lines.filter((line) => line.startsWith('师傅'))
    expect(shown.length).toBeGreaterThan(50)
    expect(shown.length).toBeLessThan(names.length)
    expect(shown).toEqual(names.slice(0, shown.length).map((name) => `${name}：1 / 0`))
    // One answer, not a second message with the rest.
    expect(wecom.messages.filter((m) => m.content.includes('师傅399'))).toHaveLength(0)
  })
})
