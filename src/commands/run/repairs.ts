import type { TicketDetails } from '../../domain/tickets.ts'
import { applyEffects } from '../../jobs/effects.ts'
import type { Department, Member, Ticket } from '../../generated/prisma/client.ts'
import type { Mention, Reply } from '../../messages/reply.ts'
import type { Language } from '../catalog.ts'
import type { MemberName, When } from '../parse/values.ts'
import { formatTime, masked, priorityWord, statusWord, yuan } from './format.ts'
import { pausedDeadline } from './clocks.ts'
import { complaintDetailsReply } from './complaints.ts'
import { memberOf } from './members.ts'
import type { CommandCall, CommandRun } from './types.ts'

const say = (language: Language, zh: string, en: string) => (language === 'zh' ? zh : en)
const reply = (lines: string[], extra: Partial<Reply> = {}): Reply => ({ lines, mentions: [], buttons: [], ...extra })
const ticketArg = (call: CommandCall) => Number(call.args.ticket)
const ref = (call: CommandCall) => ({ tenantId: call.tenant.id, number: ticketArg(call), actorId: call.member.id })
const tz = (call: CommandCall) => call.tenant.timeZone
const except = (call: CommandCall) => ({ exceptGroupId: call.group?.id })

/** The deadlines a ticket now runs against, as the reply to its creation states them. */
function deadlineLines(call: CommandCall, ticket: Ticket): string[] {
  const { language, now } = call
  const lines: string[] = []
  if (ticket.appointmentAt) lines.push(say(language, `预约上门：${formatTime(ticket.appointmentAt, tz(call), language, now)}`, `Appointment: ${formatTime(ticket.appointmentAt, tz(call), language, now)}`))
  // While paused the stored times no longer hold: say what each clock has left instead.
  const stoppedOnSite = pausedDeadline(call, ticket, 'respondBy')
  const stoppedResolve = pausedDeadline(call, ticket, 'resolveBy')
  if (ticket.respondBy) lines.push(stoppedOnSite ? say(language, `到场时限：${stoppedOnSite}`, `On site: ${stoppedOnSite}`) : say(language, `到场时限：${formatTime(ticket.respondBy, tz(call), language, now)} 前`, `On site by: ${formatTime(ticket.respondBy, tz(call), language, now)}`))
  if (ticket.resolveBy) lines.push(stoppedResolve ? say(language, `处理时限：${stoppedResolve}`, `Resolve: ${stoppedResolve}`) : say(language, `处理时限：${formatTime(ticket.resolveBy, tz(call), language, now)} 前`, `Resolve by: ${formatTime(ticket.resolveBy, tz(call), language, now)}`))
  return lines
}

const createRepair: CommandRun = async (call) => {
  const { language, args } = call
  const appointment = args.appointment as When | undefined
  const result = await call.services.repairs.createRepair({
    tenantId: call.tenant.id,
    reporterId: call.member.id,
    groupId: call.group?.id,
    unit: String(args.unit),
    description: String(args.description),
    priority: (args.priority as Ticket['priority'] | undefined) ?? 'normal',
    contactPhone: (args.phone as string | undefined) ?? call.member.phone,
    contactName: call.member.name,
    appointmentAt: appointment ? new Date(appointment.start) : null,
  })
  await applyEffects(call.ctx, result, except(call))
  const t = result.ticket
  const lines = [
    say(language, `房号：${t.unit}　类别：${t.category}　优先级：${priorityWord.zh[t.priority]}`, `Unit: ${t.unit}  Category: ${t.category}  Priority: ${priorityWord.en[t.priority]}`),
    say(language, `内容：${t.description}`, `Problem: ${t.description}`),
  ]
  if (t.contactPhone) lines.push(say(language, `联系电话：${masked(t.contactPhone)}`, `Phone: ${masked(t.contactPhone)}`))
  lines.push(...deadlineLines(call, t))
  if (t.repeatFlag) {
    lines.push(
      say(
        language,
        `⚠ 该房号同类报修近 90 天内已是第 ${result.repeatCount} 次，已报告管理处。`,
        `⚠ This is repair number ${result.repeatCount} of this kind for this unit within 90 days; management has been told.`,
      ),
    )
  }
  return reply(lines, {
    heading: say(language, `已登记报修 #${t.number}`, `Repair #${t.number} recorded`),
    buttons: [{ label: say(language, '接单', 'Claim'), command: say(language, `接单 #${t.number}`, `claim #${t.number}`) }],
  })
}

const assign: CommandRun = async (call) => {
  const assignee = await memberOf(call, call.args.assignee as Mention | MemberName)
  const result = await call.services.repairs.assign({ ...ref(call), assigneeId: assignee.id })
  await applyEffects(call.ctx, result, except(call))
  return reply([say(call.language, `工单 #${result.ticket.number} 已派给 ${assignee.name}，请尽快处理。`, `Ticket #${result.ticket.number} is assigned to ${assignee.name}.`)], {
    mentions: [{ userId: assignee.externalUserId, name: assignee.name }],
  })
}

const claim: CommandRun = async (call) => {
  const result = await call.services.repairs.claim(ref(call))
  await applyEffects(call.ctx, result, except(call))
  const respond = result.ticket.respondBy ? formatTime(result.ticket.respondBy, tz(call), call.language, call.now) : null
  return reply([
    say(call.language, `${call.member.name} 已接单 #${result.ticket.number}。`, `${call.member.name} took ticket #${result.ticket.number}.`),
    ...(respond ? [say(call.language, `请在 ${respond} 前到场，到场后发送「到场 #${result.ticket.number}」。`, `Be on site by ${respond}, then send "arrive #${result.ticket.number}".`)] : []),
  ])
}

const arrive: CommandRun = async (call) => {
  const result = await call.services.repairs.arrive(ref(call))
  await applyEffects(call.ctx, result, except(call))
  return reply([say(call.language, `已记录：${call.member.name} 到场处理 #${result.ticket.number}。`, `Recorded: ${call.member.name} is on site for #${result.ticket.number}.`)])
}

const complete: CommandRun = async (call) => {
  const feeCents = call.args.fee as number | undefined
  const result = await call.services.repairs.complete({ ...ref(call), workDone: String(call.args.work ?? ''), feeCents })
  await applyEffects(call.ctx, result, except(call))
  const callback = result.followUps.find((f) => f.kind === 'repair_callback')
  const lines = [
    say(call.language, `工单 #${result.ticket.number} 已完成：${result.ticket.workDone}`, `Ticket #${result.ticket.number} is done: ${result.ticket.workDone}`),
  ]
  if (feeCents !== undefined) lines.push(say(call.language, `费用：${yuan(feeCents)} 元`, `Fee: ¥${yuan(feeCents)}`))
  if (callback) lines.push(say(call.language, `回访请在 ${formatTime(callback.dueBy, tz(call), call.language, call.now)} 前完成。`, `Follow-up call due by ${formatTime(callback.dueBy, tz(call), call.language, call.now)}.`))
  return reply(lines)
}

const cancel: CommandRun = async (call) => {
  const result = await call.services.repairs.cancel({ ...ref(call), reason: String(call.args.reason ?? '') })
  await applyEffects(call.ctx, result, except(call))
  return reply([say(call.language, `工单 #${result.ticket.number} 已取消，原因：${result.ticket.cancelReason}`, `Ticket #${result.ticket.number} cancelled: ${result.ticket.cancelReason}`)])
}

const reopen: CommandRun = async (call) => {
  const result = await call.services.repairs.reopen({ ...ref(call), reason: String(call.args.reason ?? '') })
  await applyEffects(call.ctx, result, except(call))
  return reply([say(call.language, `工单 #${result.ticket.number} 已重新打开，等待派单。`, `Ticket #${result.ticket.number} is open again and waits to be assigned.`)])
}

const note: CommandRun = async (call) => {
  const result = await call.services.repairs.addNote({ ...ref(call), text: String(call.args.text ?? '') })
  await applyEffects(call.ctx, result, except(call))
  return reply([say(call.language, `已为 #${result.ticket.number} 添加备注。`, `Note added to #${result.ticket.number}.`)])
}

const eventWords: Record<Language, Record<string, string>> = {
  zh: {
    created: '登记', assigned: '派单', reassigned: '改派', claimed: '接单', arrived: '到场', completed: '完成', cancelled: '取消',
    reopened: '重开', paused: '挂起', resumed: '恢复', note: '备注', followup_recorded: '回访', reminder_sent: '提醒', category_changed: '改类别',
    routed: '转交', handled: '处理', answered: '答复', type_changed: '定性', followup_corrected: '更正回访',
  },
  en: {
    created: 'recorded', assigned: 'assigned', reassigned: 'reassigned', claimed: 'claimed', arrived: 'on site', completed: 'done',
    cancelled: 'cancelled', reopened: 'reopened', paused: 'paused', resumed: 'resumed', note: 'note', followup_recorded: 'follow-up', reminder_sent: 'reminder', category_changed: 'category changed',
    routed: 'routed', handled: 'handled', answered: 'answered', type_changed: 'classified', followup_corrected: 'follow-up corrected',
  },
}

function timelineLine(call: CommandCall, entry: TicketDetails['timeline'][number]): string {
  const data = (entry.data ?? {}) as Record<string, unknown>
  const detail = [data.text, data.reason, data.workDone, data.assigneeName, data.comment, data.department].find((v) => typeof v === 'string' && v)
  const what = eventWords[call.language][entry.type] ?? entry.type
  return `· ${formatTime(entry.at, tz(call), call.language, call.now)} ${what}${entry.actorName ? ` (${entry.actorName})` : ''}${detail ? `：${masked(String(detail))}` : ''}`
}

const show: CommandRun = async (call) => {
  const details = await call.services.repairs.show({ tenantId: call.tenant.id, number: ticketArg(call), viewer: call.member })
  const t = details.ticket
  if (t.kind === 'complaint') return complaintDetailsReply(call, details, details.timeline.filter((e) => e.type !== 'reminder_sent').map((e) => timelineLine(call, e)))
  const lines = [
    say(call.language, `状态：${statusWord.zh[t.status]}　负责人：${t.assignee?.name ?? '未派单'}`, `Status: ${statusWord.en[t.status]}  Assignee: ${t.assignee?.name ?? 'nobody yet'}`),
    say(call.language, `房号：${t.unit}　类别：${t.category}　优先级：${priorityWord.zh[t.priority]}`, `Unit: ${t.unit}  Category: ${t.category}  Priority: ${priorityWord.en[t.priority]}`),
    say(call.language, `内容：${t.description}`, `Problem: ${t.description}`),
    ...(t.contactPhone ? [say(call.language, `联系电话：${masked(t.contactPhone)}`, `Phone: ${masked(t.contactPhone)}`)] : []),
    ...deadlineLines(call, t),
    ...(t.pausedAt
      ? [say(call.language, `⏸ 已挂起（${formatTime(t.pausedAt, tz(call), call.language, call.now)} 起）：${t.pauseReason}，时限暂停计算`, `⏸ Paused since ${formatTime(t.pausedAt, tz(call), call.language, call.now)}: ${t.pauseReason}; clocks stand still`)]
      : []),
    say(call.language, '进度：', 'Timeline:'),
    ...details.timeline.filter((e) => e.type !== 'reminder_sent').map((e) => timelineLine(call, e)),
  ]
  return reply(lines, { heading: say(call.language, `工单 #${t.number}`, `Ticket #${t.number}`) })
}

/**
 * One line per open ticket: its status, who holds it (the assignee, or for a complaint its
 * department) and its next deadline. An unassigned ticket's status already says so (待派单), so
 * no holder is named twice.
 */
function listLines(call: CommandCall, tickets: (Ticket & { assignee: Member | null; department: Department | null })[]): string[] {
  return tickets.map((t) => {
    const holder = t.assignee?.name ?? t.department?.name
    const due = t.respondBy && t.status !== 'on_site' ? t.respondBy : t.resolveBy
    const parts = [
      statusWord[call.language][t.status],
      ...(holder ? [holder] : []),
      ...(due ? [say(call.language, `时限 ${formatTime(due, tz(call), call.language, call.now)}`, `due ${formatTime(due, tz(call), call.language, call.now)}`)] : []),
    ]
    return `#${t.number} ${t.unit ?? ''} ${t.description.slice(0, 20)}（${parts.join(say(call.language, '，', ', '))}）`
  })
}

const openStatusOf = { open: 'open', assigned: 'assigned', onSite: 'on_site' } as const

const listOpen: CommandRun = async (call) => {
  const status = call.args.status ? openStatusOf[call.args.status as keyof typeof openStatusOf] : undefined
  const assignee = call.args.assignee
    ? await memberOf(call, call.args.assignee as Mention | MemberName)
    : undefined
  const tickets = await call.services.repairs.listOpen({ tenantId: call.tenant.id, status, assigneeId: assignee?.id, viewer: call.member, limit: 30 })
  if (!tickets.length) return reply([say(call.language, '目前没有符合条件的未完成工单。', 'There are no open tickets like that.')])
  return reply(listLines(call, tickets), { heading: say(call.language, `未完成工单（${tickets.length}）`, `Open tickets (${tickets.length})`) })
}

const myTickets: CommandRun = async (call) => {
  // The viewer keeps a customer (say, a former technician) to the tickets they reported.
  const assigned = await call.services.repairs.listOpen({ tenantId: call.tenant.id, assigneeId: call.member.id, viewer: call.member, limit: 30 })
  const reported = await call.ctx.prisma.ticket.findMany({
    where: { tenantId: call.tenant.id, reporterId: call.member.id, status: { in: ['open', 'assigned', 'on_site'] } },
    include: { assignee: true, department: true },
    orderBy: { number: 'asc' },
    take: 30,
  })
  const all = [...assigned, ...reported.filter((r) => !assigned.some((a) => a.id === r.id))]
  if (!all.length) return reply([say(call.language, '您目前没有未完成的工单。', 'You have no open tickets.')])
  return reply(listLines(call, all), { heading: say(call.language, `我的工单（${all.length}）`, `My tickets (${all.length})`) })
}

export const repairCommands: Record<string, CommandRun> = {
  'repair-create': createRepair,
  assign,
  claim,
  arrive,
  complete,
  cancel,
  reopen,
  note,
  show,
  'list-open': listOpen,
  'my-tickets': myTickets,
}
