import type { CreateComplaintResult } from '../../domain/complaints/service.ts'
import { createComplaintService } from '../../domain/complaints/service.ts'
import { complaintTypeWords } from '../../domain/complaints/messages.ts'
import type { TicketDetails } from '../../domain/tickets.ts'
import type { ComplaintType } from '../../generated/prisma/client.ts'
import { applyEffects } from '../../jobs/effects.ts'
import type { Reply } from '../../messages/reply.ts'
import type { When } from '../parse/values.ts'
import { pausedDeadline } from './clocks.ts'
import { formatTime, masked, statusWord } from './format.ts'
import type { CommandCall, CommandRun } from './types.ts'

const say = (call: CommandCall, zh: string, en: string) => (call.language === 'zh' ? zh : en)
const reply = (lines: string[], extra: Partial<Reply> = {}): Reply => ({ lines, mentions: [], buttons: [], ...extra })
const complaints = (call: CommandCall) => createComplaintService({ prisma: call.ctx.prisma, clock: call.ctx.clock })
const ref = (call: CommandCall) => ({ tenantId: call.tenant.id, number: Number(call.args.ticket), actorId: call.member.id })
const except = (call: CommandCall) => ({ exceptGroupId: call.group?.id })
const when = (call: CommandCall, at: Date) => formatTime(at, call.tenant.timeZone, call.language, call.now)

/** 收到 9:20: the parser reads it as a time already past (catalog tense: past). */
function receivedAtOf(call: CommandCall): Date | null {
  const received = call.args.received as When | undefined
  return received ? new Date(received.start) : null
}

function createdLines(call: CommandCall, result: CreateComplaintResult): string[] {
  const t = result.ticket
  const type = complaintTypeWords[call.language][t.complaintType ?? 'effective']
  const lines = [
    say(call, `${t.major ? '重大' : ''}${type}　地点：${t.unit}　类别：${t.category}`, `${t.major ? 'Major ' : ''}${type}  Place: ${t.unit}  Topic: ${t.category}`),
    say(call, `内容：${t.description}`, `About: ${t.description}`),
  ]
  if (t.contactPhone) lines.push(say(call, `联系电话：${masked(t.contactPhone)}`, `Phone: ${masked(t.contactPhone)}`))
  lines.push(
    t.department
      ? say(call, `责任部门：${t.department.name}（已通知）`, `Department: ${t.department.name} (told)`)
      : say(call, `责任部门：待定，请发送「转交 #${t.number} 部门」`, `Department: not set; send "route #${t.number} <department>"`),
  )
  if (t.resolveBy) lines.push(say(call, `处理时限：${when(call, t.resolveBy)} 前`, `Handle by: ${when(call, t.resolveBy)}`))
  if (result.late) {
    lines.push(
      say(
        call,
        `⚠ 这条投诉在收到 ${result.recordedAfterMinutes} 分钟后才登记，超过了 ${result.recordWithinMinutes} 分钟的登记时限，已记入统计。以后请尽量在收到后 ${result.recordWithinMinutes} 分钟内登记，谢谢！`,
        `⚠ This complaint was recorded ${result.recordedAfterMinutes} minutes after it was received, past the ${result.recordWithinMinutes}-minute limit; it is counted in the statistics. Please record complaints within ${result.recordWithinMinutes} minutes next time, thank you!`,
      ),
    )
  }
  if (t.major) lines.push(say(call, '已立即通知经理。', 'The managers have been told at once.'))
  if (t.repeatFlag) {
    lines.push(say(call, `⚠ 该投诉人近 90 天内就此类问题已投诉 ${result.repeatCount} 次，已报告管理处。`, `⚠ This complainant raised this ${result.repeatCount} times within 90 days; management has been told.`))
  }
  return lines
}

const record =
  (type: ComplaintType | null): CommandRun =>
  async (call) => {
    const content = String(call.args.content ?? '')
    const receivedAt = receivedAtOf(call)
    const result = await complaints(call).create({
      tenantId: call.tenant.id,
      reporterId: call.member.id,
      groupId: call.group?.id,
      unit: String(call.args.unit),
      content,
      type: type ?? 'effective',
      major: call.args.severity === 'major',
      contactPhone: (call.args.phone as string | undefined) ?? call.member.phone,
      contactName: call.member.roles.includes('customer') ? call.member.name : null,
      receivedAt,
    })
    await applyEffects(call.ctx, result, except(call))
    const noun = type === 'communication' ? say(call, '咨询/求助', 'enquiry') : say(call, '投诉', 'complaint')
    return reply(createdLines(call, result), { heading: say(call, `已登记${noun} #${result.ticket.number}`, `${noun[0].toUpperCase()}${noun.slice(1)} #${result.ticket.number} recorded`) })
  }

const classify: CommandRun = async (call) => {
  const type = call.args.type as ComplaintType
  const result = await complaints(call).classify({ ...ref(call), type })
  await applyEffects(call.ctx, result, except(call))
  return reply([say(call, `投诉 #${result.ticket.number} 已定性为${complaintTypeWords.zh[type]}。`, `Complaint #${result.ticket.number} is now an ${complaintTypeWords.en[type]}.`)])
}

const route: CommandRun = async (call) => {
  const result = await complaints(call).route({ ...ref(call), department: String(call.args.department ?? '') })
  await applyEffects(call.ctx, result, except(call))
  const t = result.ticket
  const due = t.resolveBy ? when(call, t.resolveBy) : '—'
  return reply([say(call, `投诉 #${t.number} 已转交${t.department?.name}，处理时限 ${due} 前。`, `Complaint #${t.number} goes to ${t.department?.name}; handle by ${due}.`)])
}

const handle: CommandRun = async (call) => {
  const result = await complaints(call).handle({ ...ref(call), handling: String(call.args.handling ?? '') })
  await applyEffects(call.ctx, result, except(call))
  const t = result.ticket
  return reply([
    say(call, `投诉 #${t.number} 已处理：${t.workDone}`, `Complaint #${t.number} handled: ${t.workDone}`),
    say(call, `请今天把处理结果告知投诉人，并发送「答复 #${t.number} 告知内容」。`, `Please tell the complainant today, then send "answer #${t.number} <what they were told>".`),
    say(call, `回访请在 ${when(call, result.followUp.dueBy)} 前完成。`, `Follow-up due by ${when(call, result.followUp.dueBy)}.`),
  ])
}

const answer: CommandRun = async (call) => {
  const result = await complaints(call).answer({ ...ref(call), answer: String(call.args.answer ?? '') })
  await applyEffects(call.ctx, result, except(call))
  const lines = [say(call, `已记录投诉 #${result.ticket.number} 的答复。`, `Answer to complaint #${result.ticket.number} recorded.`)]
  if (!result.sameDay) lines.push(say(call, '（处理当天没有答复，已记入统计。）', '(Not answered on the day it was handled; this is counted.)'))
  return reply(lines)
}

function resolveLine(call: CommandCall, t: TicketDetails['ticket']): string {
  const stopped = pausedDeadline(call, t, 'resolveBy')
  if (stopped) return say(call, `处理时限：${stopped}`, `Handle: ${stopped}`)
  return say(call, `处理时限：${when(call, t.resolveBy!)} 前`, `Handle by: ${when(call, t.resolveBy!)}`)
}

/** 查 #N of a complaint: its kind, place, department, clocks and timeline. */
export function complaintDetailsReply(call: CommandCall, details: TicketDetails, timeline: string[]): Reply {
  const t = details.ticket
  const type = complaintTypeWords[call.language][t.complaintType ?? 'effective']
  const lines = [
    say(call, `状态：${statusWord.zh[t.status]}　${t.major ? '重大' : ''}${type}`, `Status: ${statusWord.en[t.status]}  ${t.major ? 'Major ' : ''}${type}`),
    say(call, `地点：${t.unit}　类别：${t.category}`, `Place: ${t.unit}  Topic: ${t.category}`),
    say(call, `内容：${t.description}`, `About: ${t.description}`),
    ...(t.contactPhone ? [say(call, `联系电话：${masked(t.contactPhone)}`, `Phone: ${masked(t.contactPhone)}`)] : []),
    ...(t.receivedAt ? [say(call, `收到：${when(call, t.receivedAt)}${t.recordedLate ? '（超时登记）' : ''}`, `Received: ${when(call, t.receivedAt)}${t.recordedLate ? ' (recorded late)' : ''}`)] : []),
    ...(t.resolveBy ? [resolveLine(call, t)] : []),
    ...(t.pausedAt ? [say(call, `⏸ 已挂起（${when(call, t.pausedAt)} 起）：${t.pauseReason}`, `⏸ Paused since ${when(call, t.pausedAt)}: ${t.pauseReason}`)] : []),
    say(call, '进度：', 'Timeline:'),
    ...timeline,
  ]
  return reply(lines, { heading: say(call, `投诉 #${t.number}`, `Complaint #${t.number}`) })
}

export const complaintCommands: Record<string, CommandRun> = {
  'complaint-create': record(null),
  'complaint-consult': record('communication'),
  'complaint-help': record('communication'),
  'complaint-classify': classify,
  'complaint-route': route,
  'complaint-handle': handle,
  'complaint-answer': answer,
}
