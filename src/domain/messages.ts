import type { Priority } from '../generated/prisma/client.ts'
import type { Mention, Reply } from '../messages/reply.ts'
import { maskPhones } from '../text/phone.ts'
import { localParts } from './time.ts'

/** What the texts need to know about a ticket. Phones are masked before they reach a group. */
export interface TicketFacts {
  number: number
  unit: string | null
  category: string | null
  description: string
  priority: Priority
  contactName: string | null
  contactPhone: string | null
  appointmentAt: Date | null
  resolveBy: Date | null
  assigneeName: string | null
}

/** Every group-facing sentence of the repair domain, one implementation per locale. */
export interface RepairMessages {
  newRepair(t: TicketFacts, mentions: Mention[]): Reply
  repeatRepair(t: TicketFacts, count: number, windowDays: number, mentions: Mention[]): Reply
  assigned(t: TicketFacts, assignee: Mention): Reply
  completed(t: TicketFacts, workDone: string): Reply
  unassignedAlert(t: TicketFacts, minutes: number, mentions: Mention[]): Reply
  assigneeReminder(t: TicketFacts, minutes: number, mentions: Mention[]): Reply
  onSiteEscalation(t: TicketFacts, minutes: number, mentions: Mention[]): Reply
  appointmentReminder(t: TicketFacts, minutesBefore: number, mentions: Mention[]): Reply
  appointmentEscalation(t: TicketFacts, minutesAfter: number, mentions: Mention[]): Reply
  resolveWarning(t: TicketFacts, mentions: Mention[]): Reply
  resolveBreach(t: TicketFacts, mentions: Mention[]): Reply
  followUpUnsatisfied(t: TicketFacts, outcome: { rating: number; comment: string }, mentions: Mention[]): Reply
  followUpOverdue(t: TicketFacts, followUpKind: string, dueBy: Date, mentions: Mention[]): Reply
  /** Added to a reminder that fires late (the system was down when it fell due). */
  lateNote(minutes: number): string
}

const zhPriority: Record<Priority, string> = { urgent: '紧急', high: '高', normal: '普通', low: '低' }
const zhFollowUpKind: Record<string, string> = { repair_callback: '即日回访', repair_quality: '工程质量回访' }

function zhTime(at: Date, timeZone: string): string {
  const p = localParts(at, timeZone)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${p.month}月${p.day}日 ${pad(p.hour)}:${pad(p.minute)}`
}

function reply(heading: string, lines: string[], mentions: Mention[], buttons: Reply['buttons'] = []): Reply {
  return { heading, lines: lines.map(maskPhones), mentions, buttons }
}

function zhCN(timeZone: string): RepairMessages {
  const ref = (t: TicketFacts) => `#${t.number}`
  const summary = (t: TicketFacts) => {
    const lines = [`房号：${t.unit ?? '—'}　类别：${t.category ?? '—'}　优先级：${zhPriority[t.priority]}`, `内容：${t.description}`]
    if (t.appointmentAt) lines.push(`预约时间：${zhTime(t.appointmentAt, timeZone)}`)
    if (t.contactName || t.contactPhone) lines.push(`联系人：${[t.contactName, t.contactPhone].filter(Boolean).join(' ')}`)
    return lines
  }
  const holder = (t: TicketFacts) => `负责人：${t.assigneeName ?? '未派单'}`
  const claim = (t: TicketFacts) => [{ label: '接单', command: `接单 ${t.number}` }]
  const arrive = (t: TicketFacts) => [{ label: '到场', command: `到场 ${t.number}` }]

  return {
    newRepair: (t, m) => reply(`新报修 ${ref(t)}`, summary(t), m, claim(t)),
    repeatRepair: (t, count, days, m) =>
      reply(`重复报修 ${ref(t)}`, [`${t.unit} 的「${t.category}」报修 ${days} 天内已第 ${count} 次，请关注。`, ...summary(t)], m),
    assigned: (t, a) => reply(`已派单 ${ref(t)}`, [`${ref(t)} 已派给 ${a.name}，请尽快处理。`, ...summary(t)], [a], arrive(t)),
    completed: (t, workDone) => reply(`已完成 ${ref(t)}`, [`${t.unit ?? ''} ${t.description}`.trim(), `处理：${workDone}`], []),
    unassignedAlert: (t, min, m) =>
      reply(`${zhPriority[t.priority]}报修 ${ref(t)} 已 ${min} 分钟无人接单`, summary(t), m, claim(t)),
    assigneeReminder: (t, min, m) =>
      t.assigneeName
        ? reply(`${ref(t)} 报修已 ${min} 分钟`, [`请 ${t.assigneeName} 尽快到场，到场后回复「到场 ${t.number}」。`, ...summary(t)], m, arrive(t))
        : reply(`${ref(t)} 报修已 ${min} 分钟仍无人接单`, summary(t), m, claim(t)),
    onSiteEscalation: (t, min, m) =>
      reply(`升级：${ref(t)} 超过 ${min} 分钟无人到场`, [holder(t), ...summary(t)], m),
    appointmentReminder: (t, before, m) =>
      reply(`${ref(t)} 预约还有 ${before} 分钟`, [t.assigneeName ? `请 ${t.assigneeName} 准时到场。` : '尚未派单，请尽快接单。', ...summary(t)], m, t.assigneeName ? arrive(t) : claim(t)),
    appointmentEscalation: (t, after, m) =>
      reply(`升级：${ref(t)} 预约时间已过 ${after} 分钟仍无人到场`, [holder(t), ...summary(t)], m),
    resolveWarning: (t, m) =>
      reply(`${ref(t)} 即将超过处理时限`, [`处理时限：${t.resolveBy ? zhTime(t.resolveBy, timeZone) : '—'}`, holder(t), ...summary(t)], m),
    resolveBreach: (t, m) =>
      reply(`超时：${ref(t)} 已超过处理时限`, [`处理时限：${t.resolveBy ? zhTime(t.resolveBy, timeZone) : '—'}`, holder(t), ...summary(t)], m),
    followUpUnsatisfied: (t, o, m) =>
      reply(`回访不满意：${ref(t)} 已重新打开`, [`评分：${o.rating}/5`, `意见：${o.comment || '—'}`, ...summary(t)], m),
    followUpOverdue: (t, kind, dueBy, m) =>
      reply(`回访逾期：${ref(t)}`, [`${zhFollowUpKind[kind] ?? kind}应于 ${zhTime(dueBy, timeZone)} 前完成。`, ...summary(t)], m),
    lateNote: (minutes) => `（此提醒晚了 ${minutes} 分钟：系统恢复后补发）`,
  }
}

/** Texts for a tenant locale; zh-CN is the only one so far and the fallback. */
export function repairMessages(_locale: string, timeZone: string): RepairMessages {
  return zhCN(timeZone)
}
