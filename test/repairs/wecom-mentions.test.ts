import { randomBytes } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { createServices } from '../../src/services.ts'
import { startFakeWecom, type RecordedWecomMessage } from '../support/fake-wecom.ts'
import { setupTestEnv } from '../support/harness.ts'
import { signedWecomRobotRequest, startTestWorkers, wecomCredentials } from '../support/pipeline.ts'
import { waitFor } from '../support/wait.ts'

// WeCom robot callbacks carry other members only as "@Name" text: no user ids. These tests go
// through the signed, encrypted webhook, the real command layer and the fake WeCom's response_url.
const PUSH_KEY = 'maintenance-push-key-mentions'
const wecom = await startFakeWecom({ keys: [PUSH_KEY] })
afterAll(() => wecom.close())
const env = await setupTestEnv({ WECOM_API_BASE_URL: wecom.url })
const prisma = env.ctx.prisma

const tenant = await prisma.tenant.create({ data: { name: '企微物业', timeZone: 'Asia/Shanghai' } })
const connection = await prisma.platformConnection.create({
  data: { tenantId: tenant.id, platform: 'wecom', name: '智能机器人', appId: 'aibot-1', credentials: env.ctx.secrets.sealJson(wecomCredentials) },
})
const chatId = `wr${randomBytes(8).toString('hex')}`
await prisma.chatGroup.create({
  data: { tenantId: tenant.id, connectionId: connection.id, platform: 'wecom', externalId: chatId, name: '维修群', purpose: 'maintenance', pushKey: env.ctx.secrets.seal(PUSH_KEY) },
})
const member = (externalUserId: string, name: string, roles: ('technician' | 'supervisor' | 'admin')[], aliases: string[] = []) =>
  prisma.member.create({ data: { tenantId: tenant.id, platform: 'wecom', externalUserId, name, roles, aliases } })
const supervisor = await member('liuzhuguan', '刘主管', ['supervisor', 'admin'])
const zhang = await member('zhangshifu', '张师傅', ['technician'], ['老张'])
await member('wangjun', '王师傅', ['technician'], ['王军'])
await member('wangqiang', '王师傅', ['technician'])
// Someone of the same name in another tenant is nobody here.
const other = await prisma.tenant.create({ data: { name: '别家物业', timeZone: 'Asia/Shanghai' } })
await prisma.member.create({ data: { tenantId: other.id, platform: 'wecom', externalUserId: 'zhaoshifu', name: '赵师傅', roles: ['technician'] } })

const services = createServices(env.ctx)
startTestWorkers(env, { handleChat: services.handleChat, fireReminder: services.fireReminder })

/** Sends `text` from `userId` to the bot in the WeCom group and returns the bot's answer. */
async function says(userId: string, text: string): Promise<string> {
  const responseUrl = wecom.issueResponseUrl()
  const response = await env.app.inject(signedWecomRobotRequest(connection.id, { chatId, userId, text, responseUrl }))
  expect(response.statusCode, `posting "${text}": ${response.body}`).toBe(200)
  const answerOn = (m: RecordedWecomMessage) => m.responseCode !== undefined && responseUrl.endsWith(`response_code=${m.responseCode}`)
  const answer = await waitFor(() => wecom.messages.find(answerOn), { what: `the answer to "${text}"`, timeoutMs: 15_000 })
  return answer.content
}
const report = async (text: string) => Number((await says(supervisor.externalUserId, text)).match(/#(\d+)/)?.[1])

describe('@Name mentions on WeCom', () => {
  it('assigns to the member whose display name is written after @', async () => {
    const number = await report('报修 3-2-501 厨房水管漏水')
    const answer = await says(supervisor.externalUserId, `派单 #${number} @张师傅`)
    expect(answer).toContain(`工单 #${number} 已派给 张师傅`)
    const ticket = await prisma.ticket.findFirstOrThrow({ where: { tenantId: tenant.id, number } })
    expect(ticket.assigneeId).toBe(zhang.id)
  })

  it('finds a member by an alias, and by a name the way WeCom spaces it after a mention', async () => {
    const first = await report('报修 3-2-502 门锁坏了')
    expect(await says(supervisor.externalUserId, `派单 #${first} @老张`)).toContain('已派给 张师傅')
    const second = await report('报修 3-2-503 灯不亮')
    // WeCom puts a four-per-em space (U+2005) after each "@Name".
    expect(await says(supervisor.externalUserId, `派单 #${second} @王军\u2005尽快`)).toContain('已派给 王师傅')
    const ticket = await prisma.ticket.findFirstOrThrow({ where: { tenantId: tenant.id, number: second }, include: { assignee: true } })
    expect(ticket.assignee?.externalUserId).toBe('wangjun')
  })

  it('lists the candidates when a name is ambiguous, and assigns nobody', async () => {
    const number = await report('报修 3-2-504 空调不制冷')
    const answer = await says(supervisor.externalUserId, `派单 #${number} @王师傅`)
    expect(answer).toContain('有 2 位成员叫「王师傅」')
    expect(answer).toContain('王师傅（王军）')
    expect(answer).toContain('王师傅（wangqiang）')
    expect(answer).toContain('别名')
    const ticket = await prisma.ticket.findFirstOrThrow({ where: { tenantId: tenant.id, number } })
    expect(ticket.assigneeId).toBeNull()
  })

  it('says how to add a member it does not know, without looking at other tenants', async () => {
    const number = await report('报修 3-2-505 水龙头滴水')
    const answer = await says(supervisor.externalUserId, `派单 #${number} @赵师傅`)
    expect(answer).toContain('没有找到叫「赵师傅」的成员')
    expect(answer).toContain('管理页')
    expect(answer).toContain('授权 @赵师傅 维修工')
    expect(await prisma.member.count({ where: { tenantId: tenant.id, name: '赵师傅' } })).toBe(0)
  })

  it('grants a role and filters open work by an @Name too', async () => {
    await member('sunshifu', '孙师傅', [])
    expect(await says(supervisor.externalUserId, '授权 @孙师傅 维修工')).toContain('已授予 孙师傅「维修工」角色')
    const sun = await prisma.member.findFirstOrThrow({ where: { tenantId: tenant.id, externalUserId: 'sunshifu' } })
    expect(sun.roles).toContain('technician')

    const number = await report('报修 3-2-506 下水道堵了')
    expect(await says(supervisor.externalUserId, `派单 #${number} @孙师傅`)).toContain('已派给 孙师傅')
    const his = await says(supervisor.externalUserId, '待办 @孙师傅')
    expect(his).toContain(`#${number} `)
    expect(his).not.toContain('3-2-501')
  })
})
