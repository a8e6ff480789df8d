import type { ComplaintType } from '../../generated/prisma/client.ts'
import type { Mention, Reply } from '../../messages/reply.ts'
import { maskPhones } from '../../text/phone.ts'
import { localParts } from '../time.ts'

/** What the complaint texts need to know. Phones are masked: these go to groups. */
export interface ComplaintFacts {
  number: number
  unit: string | null
  topic: string | null
  content: string
  type: ComplaintType
  major: boolean
  department: string | null
  contactName: string | null
  contactPhone: string | null
  resolveBy: Date | null
}

/** Every group-facing sentence about complaints, one implementation per locale. */
export interface ComplaintMessages {
  routed(f: ComplaintFacts, mentions: Mention[]): Reply
  major(f: ComplaintFacts, mentions: Mention[]): Reply
  repeat(f: ComplaintFacts, count: number, windowDays: number, mentions: Mention[]): Reply
  resolveWarning(f: ComplaintFacts, mentions: Mention[]): Reply
  resolveBreach(f: ComplaintFacts, mentions: Mention[]): Reply
  answerReminder(f: ComplaintFacts, mentions: Mention[]): Reply
  answerEscalation(f: ComplaintFacts, mentions: Mention[]): Reply
  unsatisfied(f: ComplaintFacts, outcome: { rating: number | null; comment: string }, mentions: Mention[]): Reply
  lateNote(minutes: number): string
}

const pad = (n: number) => String(n).padStart(2, '0')
const reply = (heading: string, lines: string[], mentions: Mention[]): Reply => ({ heading, lines: lines.map(maskPhones), mentions, buttons: [] })

export const complaintTypeWords: Record<'zh' | 'en', Record<ComplaintType, string>> = {
  zh: { effective: '有效投诉', communication: '沟通性投诉' },
  en: { effective: 'effective complaint', communication: 'communication complaint' },
}

function zhCN(timeZone: string): ComplaintMessages {
  const time = (at: Date | null) => {
    if (!at) return '—'
    const p = localParts(at, timeZone)
    return `${p.month}月${p.day}日 ${pad(p.hour)}:${pad(p.minute)}`
  }
  const ref = (f: ComplaintFacts) => `#${f.number}`
  const summary = (f: ComplaintFacts) => [
    `${f.major ? '重大' : ''}${complaintTypeWords.zh[f.type]}　地点：${f.unit ?? '—'}　类别：${f.topic ?? '—'}`,
    `内容：${f.content}`,
    `责任部门：${f.department ?? '未转交'}　处理时限：${time(f.resolveBy)} 前`,
    ...(f.contactName || f.contactPhone ? [`投诉人：${[f.contactName, f.contactPhone].filter(Boolean).join(' ')}`] : []),
  ]
  return {
    routed: (f, m) => reply(`投诉 ${ref(f)} 转交${f.department ?? ''}处理`, [`请在 ${time(f.resolveBy)} 前处理，并发送「处理 ${ref(f)} 处理情况」。`, ...summary(f)], m),
    major: (f, m) => reply(`重大投诉 ${ref(f)}`, ['请经理立即关注；回访由经理负责。', ...summary(f)], m),
    repeat: (f, count, days, m) => reply(`重复投诉 ${ref(f)}`, [`同一投诉人 ${days} 天内就「${f.topic ?? '—'}」已投诉 ${count} 次，请关注。`, ...summary(f)], m),
    resolveWarning: (f, m) => reply(`投诉 ${ref(f)} 即将超过处理时限`, summary(f), m),
    resolveBreach: (f, m) => reply(`超时：投诉 ${ref(f)} 已超过处理时限`, summary(f), m),
    answerReminder: (f, m) => reply(`投诉 ${ref(f)} 今天还没有答复投诉人`, [`处理结果须当天告知投诉人，告知后发送「答复 ${ref(f)} 告知内容」。`, ...summary(f)], m),
    answerEscalation: (f, m) => reply(`升级：投诉 ${ref(f)} 处理后未当天答复投诉人`, summary(f), m),
    unsatisfied: (f, o, m) => reply(`投诉 ${ref(f)} 回访不满意，退回处理`, [`评分：${o.rating ?? '—'}/5`, `意见：${o.comment || '—'}`, ...summary(f)], m),
    lateNote: (minutes) => `（此提醒晚了 ${minutes} 分钟：系统恢复后补发）`,
  }
}

function enUS(timeZone: string): ComplaintMessages {
  const time = (at: Date | null) => {
    if (!at) return '—'
    const p = localParts(at, timeZone)
    return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`
  }
  const ref = (f: ComplaintFacts) => `#${f.number}`
  const summary = (f: ComplaintFacts) => [
    `${f.major ? 'Major ' : ''}${complaintTypeWords.en[f.type]}  Place: ${f.unit ?? '—'}  Topic: ${f.topic ?? '—'}`,
    `About: ${f.content}`,
    `Department: ${f.department ?? 'not routed'}  Handle by: ${time(f.resolveBy)}`,
    ...(f.contactName || f.contactPhone ? [`Complainant: ${[f.contactName, f.contactPhone].filter(Boolean).join(' ')}`] : []),
  ]
  return {
    routed: (f, m) => reply(`Complaint ${ref(f)} goes to ${f.department ?? ''}`, [`Please handle it by ${time(f.resolveBy)}, then send "handle ${ref(f)} <what was done>".`, ...summary(f)], m),
    major: (f, m) => reply(`Major complaint ${ref(f)}`, ['Managers, please look at it now; a manager makes its follow-up.', ...summary(f)], m),
    repeat: (f, count, days, m) => reply(`Repeat complaint ${ref(f)}`, [`The same complainant raised "${f.topic ?? '—'}" ${count} times within ${days} days.`, ...summary(f)], m),
    resolveWarning: (f, m) => reply(`Complaint ${ref(f)} is close to its limit`, summary(f), m),
    resolveBreach: (f, m) => reply(`Overdue: complaint ${ref(f)} passed its limit`, summary(f), m),
    answerReminder: (f, m) => reply(`Complaint ${ref(f)}: the complainant has not been told today`, [`Tell them the result today, then send "answer ${ref(f)} <what they were told>".`, ...summary(f)], m),
    answerEscalation: (f, m) => reply(`Escalation: complaint ${ref(f)} was handled but not answered the same day`, summary(f), m),
    unsatisfied: (f, o, m) => reply(`Complaint ${ref(f)}: unsatisfied follow-up, back to handling`, [`Rating: ${o.rating ?? '—'}/5`, `Comment: ${o.comment || '—'}`, ...summary(f)], m),
    lateNote: (minutes) => `(This reminder is ${minutes} min late: sent after the system recovered.)`,
  }
}

export function complaintMessages(locale: string, timeZone: string): ComplaintMessages {
  return locale.startsWith('en') ? enUS(timeZone) : zhCN(timeZone)
}
