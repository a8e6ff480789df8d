import { describe, expect, it } from 'vitest'
import type { Mention } from '../../src/messages/reply.ts'
import { parseText, sh } from './support.ts'

/**
 * Real-world phrasings, each with the command and the exact arguments it must give.
 * now = Monday 2026-11-23 10:00 Asia/Shanghai.
 */
interface Case {
  text: string
  command: string
  args: Record<string, unknown>
  language?: 'zh' | 'en'
  mentions?: Mention[]
}

const at = (local: string) => ({ start: sh(local), precision: 'time' })
const between = (from: string, to: string, precision = 'time') => ({ start: sh(from), end: sh(to), precision })
const day = (date: string, next: string) => between(`${date}T00:00`, `${next}T00:00`, 'day')
const zhang = { userId: 'u_张师傅', name: '张师傅' }
const wang = { userId: 'u_Wang', name: 'Wang' }

const cases: Case[] = [
  // Repairs in Chinese: spacing, width, units, phones, priorities.
  { text: '报修3-2-501厨房漏水', command: 'repair-create', args: { unit: '3-2-501', description: '厨房漏水' } },
  {
    text: '/报修 3栋2单元501 厨房水管漏水，紧急！电话：138-0013-8000 预约明天下午3点',
    command: 'repair-create',
    args: { unit: '3-2-501', description: '厨房水管漏水', priority: 'urgent', phone: '13800138000', appointment: at('2026-11-24T15:00') },
  },
  { text: '／报修　３－２－５０１　厨房漏水（加急）', command: 'repair-create', args: { unit: '3-2-501', description: '厨房漏水', priority: 'urgent' } },
  {
    text: '报修 3号楼2单元501室 下水道堵了 预约明天下午3点到5点',
    command: 'repair-create',
    args: { unit: '3-2-501', description: '下水道堵了', appointment: between('2026-11-24T15:00', '2026-11-24T17:00') },
  },
  {
    text: '报修 A座1203 空调不制冷 预约周五 14:00-16:00',
    command: 'repair-create',
    args: { unit: 'A-1203', description: '空调不制冷', appointment: between('2026-11-27T14:00', '2026-11-27T16:00') },
  },
  { text: '报修 b-1203 灯不亮 低', command: 'repair-create', args: { unit: 'B-1203', description: '灯不亮', priority: 'low' } },
  { text: '@前台助手 报修 5-1-302 门锁坏了 0755-1234567', command: 'repair-create', args: { unit: '5-1-302', description: '门锁坏了', phone: '0755-1234567' } },
  { text: '报修 3-2-501 漏水 电话 010-12345678', command: 'repair-create', args: { unit: '3-2-501', description: '漏水', phone: '010-12345678' } },
  { text: '报修 3-2-501 马桶堵了 139 1234 5678', command: 'repair-create', args: { unit: '3-2-501', description: '马桶堵了', phone: '13912345678' } },
  { text: '报修   3-2-501    热水器不出热水   很急  ', command: 'repair-create', args: { unit: '3-2-501', description: '热水器不出热水', priority: 'urgent' } },
  { text: '报修：3-2-501，漏水', command: 'repair-create', args: { unit: '3-2-501', description: '漏水' } },
  { text: '接单：1023', command: 'claim', args: { ticket: 1023 } },
  { text: '报修 1203 空调漏水', command: 'repair-create', args: { unit: '1203', description: '空调漏水' } },
  { text: '维修 6栋1单元1102 窗户关不上', command: 'repair-create', args: { unit: '6-1-1102', description: '窗户关不上' } },
  { text: '报修 A1203 电梯异响 一般', command: 'repair-create', args: { unit: 'A-1203', description: '电梯异响', priority: 'normal' } },
  { text: '报修 3-2-501 从今天早上开始漏水', command: 'repair-create', args: { unit: '3-2-501', description: '从今天早上开始漏水' } },
  { text: '报修 3-2-501 水压有一点低', command: 'repair-create', args: { unit: '3-2-501', description: '水压有一点低' } },

  // Chinese dates and times.
  { text: '报修 3-2-501 漏水 预约下周一上午', command: 'repair-create', args: { unit: '3-2-501', description: '漏水', appointment: between('2026-11-30T09:00', '2026-11-30T12:00', 'period') } },
  { text: '报修 3-2-501 漏水 预约 11月25日 上午10点半', command: 'repair-create', args: { unit: '3-2-501', description: '漏水', appointment: at('2026-11-25T10:30') } },
  { text: '报修 3-2-501 漏水 预约2026-11-25 9:30', command: 'repair-create', args: { unit: '3-2-501', description: '漏水', appointment: at('2026-11-25T09:30') } },
  { text: '报修 3-2-501 漏水 预约 11-25 15:00', command: 'repair-create', args: { unit: '3-2-501', description: '漏水', appointment: at('2026-11-25T15:00') } },
  { text: '报修 3-2-501 漏水 预约上午9点', command: 'repair-create', args: { unit: '3-2-501', description: '漏水', appointment: at('2026-11-24T09:00') } },
  { text: '报修 3-2-501 漏水 预约晚上7点', command: 'repair-create', args: { unit: '3-2-501', description: '漏水', appointment: at('2026-11-23T19:00') } },
  { text: '报修 3-2-501 漏水 预约三点半', command: 'repair-create', args: { unit: '3-2-501', description: '漏水', appointment: at('2026-11-23T15:30') } },
  { text: '报修 3-2-501 漏水 星期五下午两点', command: 'repair-create', args: { unit: '3-2-501', description: '漏水', appointment: at('2026-11-27T14:00') } },
  { text: '报修 3-2-501 漏水 大后天中午', command: 'repair-create', args: { unit: '3-2-501', description: '漏水', appointment: between('2026-11-26T12:00', '2026-11-26T14:00', 'period') } },
  { text: '报修 3-2-501 漏水 后天', command: 'repair-create', args: { unit: '3-2-501', description: '漏水', appointment: day('2026-11-25', '2026-11-26') } },
  { text: '报修 3-2-501 漏水 明天下午', command: 'repair-create', args: { unit: '3-2-501', description: '漏水', appointment: between('2026-11-24T13:00', '2026-11-24T18:00', 'period') } },
  { text: '报修 3-2-501 漏水 今晚8点', command: 'repair-create', args: { unit: '3-2-501', description: '漏水', appointment: at('2026-11-23T20:00') } },
  { text: '报修 3-2-501 漏水 中午12点', command: 'repair-create', args: { unit: '3-2-501', description: '漏水', appointment: at('2026-11-23T12:00') } },
  { text: '报修 3-2-501 漏水 早上8点', command: 'repair-create', args: { unit: '3-2-501', description: '漏水', appointment: at('2026-11-24T08:00') } },
  { text: '报修 3-2-501 漏水 10点15分', command: 'repair-create', args: { unit: '3-2-501', description: '漏水', appointment: at('2026-11-23T10:15') } },
  { text: '报修 3-2-501 漏水 15:00', command: 'repair-create', args: { unit: '3-2-501', description: '漏水', appointment: at('2026-11-23T15:00') } },
  { text: '报修 3-2-501 漏水 预约下周五', command: 'repair-create', args: { unit: '3-2-501', description: '漏水', appointment: day('2026-12-04', '2026-12-05') } },

  // Repairs in English.
  { text: 'repair 3-2-501 kitchen pipe leaking urgent', command: 'repair-create', language: 'en', args: { unit: '3-2-501', description: 'kitchen pipe leaking', priority: 'urgent' } },
  { text: 'repair B-1203 aircon not cooling appointment tomorrow 3pm', command: 'repair-create', language: 'en', args: { unit: 'B-1203', description: 'aircon not cooling', appointment: at('2026-11-24T15:00') } },
  {
    text: 'repair 12-1-801 door lock broken phone 138-0013-8000 fri 2-4pm',
    command: 'repair-create',
    language: 'en',
    args: { unit: '12-1-801', description: 'door lock broken', phone: '13800138000', appointment: between('2026-11-27T14:00', '2026-11-27T16:00') },
  },
  { text: 'Repair 3-2-501 leak next monday 10am', command: 'repair-create', language: 'en', args: { unit: '3-2-501', description: 'leak', appointment: at('2026-11-30T10:00') } },
  { text: 'repair 3-2-501 leak Nov 25 10am', command: 'repair-create', language: 'en', args: { unit: '3-2-501', description: 'leak', appointment: at('2026-11-25T10:00') } },
  { text: 'repair 3-2-501 leak 25 Nov 9am', command: 'repair-create', language: 'en', args: { unit: '3-2-501', description: 'leak', appointment: at('2026-11-25T09:00') } },
  { text: 'repair 3-2-501 leak appointment 3:30 pm', command: 'repair-create', language: 'en', args: { unit: '3-2-501', description: 'leak', appointment: at('2026-11-23T15:30') } },
  { text: 'repair 3-2-501 leak today 15:00', command: 'repair-create', language: 'en', args: { unit: '3-2-501', description: 'leak', appointment: at('2026-11-23T15:00') } },
  { text: 'repair 3-2-501 leak tomorrow at 3', command: 'repair-create', language: 'en', args: { unit: '3-2-501', description: 'leak', appointment: at('2026-11-24T15:00') } },
  { text: 'repair 3-2-501 leak friday', command: 'repair-create', language: 'en', args: { unit: '3-2-501', description: 'leak', appointment: day('2026-11-27', '2026-11-28') } },
  { text: 'repair 3-2-501 leak 2pm-4pm tomorrow', command: 'repair-create', language: 'en', args: { unit: '3-2-501', description: 'leak', appointment: between('2026-11-24T14:00', '2026-11-24T16:00') } },
  { text: '/repair 3-2-501 leak ASAP tel 13800138000', command: 'repair-create', language: 'en', args: { unit: '3-2-501', description: 'leak', priority: 'urgent', phone: '13800138000' } },
  { text: 'repair 3-2-501 broken window priority high', command: 'repair-create', language: 'en', args: { unit: '3-2-501', description: 'broken window', priority: 'high' } },

  // Ticket references, mentions in odd places, bot name leftovers.
  { text: '查#1023', command: 'show', args: { ticket: 1023 } },
  { text: '查看 1023号', command: 'show', args: { ticket: 1023 } },
  { text: '查询＃１０２３', command: 'show', args: { ticket: 1023 } },
  { text: 'show No.1023', command: 'show', language: 'en', args: { ticket: 1023 } },
  { text: '@frontdesk 查 #1023', command: 'show', args: { ticket: 1023 } },
  { text: '查 #1023 @FrontDesk', command: 'show', args: { ticket: 1023 } },
  { text: '派单#1023@张师傅', command: 'assign', args: { ticket: 1023, assignee: zhang } },
  { text: '@张师傅 派单 #1023', command: 'assign', args: { ticket: 1023, assignee: zhang } },
  { text: '派单 @张师傅 1023号', command: 'assign', args: { ticket: 1023, assignee: zhang } },
  { text: '派单 工单1023 @张师傅', command: 'assign', args: { ticket: 1023, assignee: zhang } },
  { text: '派单 #1023 @张工', command: 'assign', args: { ticket: 1023, assignee: zhang }, mentions: [zhang] },
  { text: 'assign #1023 @Wang', command: 'assign', language: 'en', args: { ticket: 1023, assignee: wang } },
  { text: '接单 #1023', command: 'claim', args: { ticket: 1023 } },
  { text: '接单1023', command: 'claim', args: { ticket: 1023 } },
  { text: 'accept No.1023', command: 'claim', language: 'en', args: { ticket: 1023 } },
  { text: '到场 #1023', command: 'arrive', args: { ticket: 1023 } },
  { text: 'on site #1023', command: 'arrive', language: 'en', args: { ticket: 1023 } },

  // Completion with fees, cancellations, notes.
  { text: '完成 #1023 更换了水龙头 材料费30元', command: 'complete', args: { ticket: 1023, work: '更换了水龙头', fee: 3000 } },
  { text: '完工#1023 疏通下水管，收费￥50', command: 'complete', args: { ticket: 1023, work: '疏通下水管', fee: 5000 } },
  { text: 'done #1023 replaced the tap fee 30', command: 'complete', language: 'en', args: { ticket: 1023, work: 'replaced the tap', fee: 3000 } },
  { text: 'complete #1023 fixed hinge ¥12.5', command: 'complete', language: 'en', args: { ticket: 1023, work: 'fixed hinge', fee: 1250 } },
  { text: '取消 #1023 业主已自行修好', command: 'cancel', args: { ticket: 1023, reason: '业主已自行修好' } },
  { text: '取消1023号：重复报修', command: 'cancel', args: { ticket: 1023, reason: '重复报修' } },
  { text: 'cancel #1023 duplicate', command: 'cancel', language: 'en', args: { ticket: 1023, reason: 'duplicate' } },
  { text: '重开 #1023 又漏水了！', command: 'reopen', args: { ticket: 1023, reason: '又漏水了' } },
  { text: '备注 #1023 需要先买配件，明天再来', command: 'note', args: { ticket: 1023, text: '需要先买配件，明天再来' } },

  // Follow-ups, roles, binding, lists, help.
  { text: '回访 #1023 满意 5 师傅很准时', command: 'followup-record', args: { ticket: 1023, satisfaction: 'satisfied', rating: 5, comment: '师傅很准时' } },
  { text: '回访1023号 不满意 2分 维修后还有异响', command: 'followup-record', args: { ticket: 1023, satisfaction: 'unsatisfied', rating: 2, comment: '维修后还有异响' } },
  { text: '回访 #1023 很满意 5星', command: 'followup-record', args: { ticket: 1023, satisfaction: 'satisfied', rating: 5 } },
  { text: 'followup #1023 satisfied 5 quick and tidy', command: 'followup-record', language: 'en', args: { ticket: 1023, satisfaction: 'satisfied', rating: 5, comment: 'quick and tidy' } },
  { text: '授权 @张师傅 维修工', command: 'grant-role', args: { member: zhang, role: 'technician' } },
  { text: '授权@李娜客服', command: 'grant-role', args: { member: { userId: 'u_李娜', name: '李娜' }, role: 'agent' }, mentions: [{ userId: 'u_李娜', name: '李娜' }] },
  { text: 'grant @Wang technician', command: 'grant-role', language: 'en', args: { member: wang, role: 'technician' } },
  { text: 'set role @Wang supervisor', command: 'grant-role', language: 'en', args: { member: wang, role: 'supervisor' } },
  { text: '绑定 FD-7K2Q9X', command: 'bind-group', args: { code: 'FD-7K2Q9X' } },
  { text: 'bind fd-7k2q9x', command: 'bind-group', language: 'en', args: { code: 'fd-7k2q9x' } },
  { text: '待办', command: 'list-open', args: {} },
  { text: '/todo', command: 'list-open', language: 'en', args: {} },
  { text: '我的工单', command: 'my-tickets', args: {} },
  { text: 'my tickets', command: 'my-tickets', language: 'en', args: {} },
  { text: '帮助', command: 'help', args: {} },
  { text: '？', command: 'help', args: {} },
  { text: 'help repair', command: 'help', language: 'en', args: { topic: 'repair-create' } },
  { text: '帮助 派单', command: 'help', args: { topic: 'assign' } },
]

describe('real-world phrasings', () => {
  it('covers at least fifty phrasings', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50)
  })

  it.each(cases)('$text', ({ text, command, args, language = 'zh', mentions }) => {
    const result = parseText(text, mentions)
    expect(result, `sent ${JSON.stringify(text)}, got ${JSON.stringify(result)}`).toEqual({ ok: true, command, language, args })
  })
})
