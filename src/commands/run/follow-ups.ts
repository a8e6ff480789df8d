import { createFollowUpService, type CoverageLine, type DueFollowUp } from '../../domain/follow-ups/service.ts'
import { localParts } from '../../domain/time.ts'
import { applyEffects } from '../../jobs/effects.ts'
import type { Reply } from '../../messages/reply.ts'
import { formatTime, masked } from './format.ts'
import type { CommandCall, CommandRun } from './types.ts'

const say = (call: CommandCall, zh: string, en: string) => (call.language === 'zh' ? zh : en)
const reply = (lines: string[], extra: Partial<Reply> = {}): Reply => ({ lines, mentions: [], buttons: [], ...extra })
const followUps = (call: CommandCall) => createFollowUpService({ prisma: call.ctx.prisma, clock: call.ctx.clock })
const ref = (call: CommandCall) => ({ tenantId: call.tenant.id, number: Number(call.args.ticket), actorId: call.member.id })
const except = (call: CommandCall) => ({ exceptGroupId: call.group?.id })
const when = (call: CommandCall, at: Date) => formatTime(at, call.tenant.timeZone, call.language, call.now)
const rating = (call: CommandCall) => (call.args.rating === undefined ? null : Number(call.args.rating))

const kindWords = {
  zh: { complaint: '投诉回访', repair_callback: '即日回访', repair_quality: '工程质量回访', service_callback: '服务回访', emergency: '紧急事件回访', service: '服务回访' } as Record<string, string>,
  en: { complaint: 'complaint', repair_callback: 'same-day call-back', repair_quality: 'works quality', service_callback: 'service call-back', emergency: 'emergency', service: 'service' } as Record<string, string>,
}

const recordFollowUp: CommandRun = async (call) => {
  const outcome = call.args.satisfaction as 'satisfied' | 'unsatisfied' | 'unreachable'
  const result = await followUps(call).record({ ...ref(call), outcome, rating: rating(call), comment: call.args.comment ? String(call.args.comment) : undefined })
  await applyEffects(call.ctx, result, except(call))
  const number = result.ticket.number
  if (outcome === 'unreachable') {
    const attempts = result.followUp.attempts
    if (result.nextAttemptAt) {
      return reply([say(call, `已记录 #${number} 第 ${attempts} 次回访联系不上，请于 ${when(call, result.nextAttemptAt)} 再打一次，届时会提醒您。`, `Recorded: call ${attempts} for #${number} found nobody. Try again ${when(call, result.nextAttemptAt)}; you will be reminded.`)])
    }
    return reply([say(call, `#${number} 已 ${attempts} 次联系不上，回访结束（联系不上），已报告管理处。`, `#${number} was unreachable ${attempts} times: the follow-up ends as unreachable and management has been told.`)])
  }
  const score = result.followUp.rating === null ? '' : say(call, `，${result.followUp.rating} 分`, `, ${result.followUp.rating}/5`)
  const lines = [say(call, `已记录 #${number} 的回访：${outcome === 'satisfied' ? '满意' : '不满意'}${score}。`, `Follow-up of #${number} recorded: ${outcome}${score}.`)]
  if (result.reopened) lines.push(say(call, '业主不满意，工单已重新打开，并已通知主管。', 'The customer is not satisfied: the ticket is open again and the supervisors have been told.'))
  if (result.closed) lines.push(say(call, `#${number} 已关闭。`, `#${number} is closed.`))
  return reply(lines)
}

const correct: CommandRun = async (call) => {
  const outcome = call.args.satisfaction as 'satisfied' | 'unsatisfied'
  const result = await followUps(call).correct({ ...ref(call), outcome, rating: rating(call), reason: String(call.args.reason ?? '') })
  await applyEffects(call.ctx, result, except(call))
  const lines = [say(call, `已更正 #${result.ticket.number} 的回访为：${outcome === 'satisfied' ? '满意' : '不满意'}（原因：${result.followUp.correctionReason}）。`, `Follow-up of #${result.ticket.number} corrected to ${outcome} (${result.followUp.correctionReason}).`)]
  if (result.reopened) lines.push(say(call, '工单已退回处理，并已通知主管。', 'The ticket is back in handling and the supervisors have been told.'))
  if (result.closed) lines.push(say(call, `#${result.ticket.number} 已关闭。`, `#${result.ticket.number} is closed.`))
  return reply(lines)
}

/** The desk calls from this list: the number in full in a direct chat, masked in a group. */
function dueLine(call: CommandCall, row: DueFollowUp): string {
  const subject = row.ticket ? `#${row.ticket.number} ${row.ticket.unit ?? ''}` : row.booking ? say(call, `预订 ${row.booking.number}`, `booking ${row.booking.number}`) : ''
  const name = row.ticket?.contactName ?? row.booking?.customerName ?? ''
  const phone = row.ticket?.contactPhone ?? row.booking?.customerPhone ?? ''
  const shown = call.message.chatType === 'direct' ? phone : masked(phone)
  const late = row.status === 'overdue' || row.dueBy < call.now
  const due = late ? say(call, `已逾期，应于 ${when(call, row.dueBy)} 前`, `overdue, was due ${when(call, row.dueBy)}`) : say(call, `${when(call, row.dueBy)} 前`, `by ${when(call, row.dueBy)}`)
  const tries = row.attempts ? say(call, `，已打 ${row.attempts} 次`, `, ${row.attempts} tries`) : ''
  return `${late ? '⚠ ' : ''}${subject.trim()} ${kindWords[call.language][row.kind] ?? row.kind} ${[name, shown].filter(Boolean).join(' ')}（${due}${tries}）`.replace(/\s+/g, ' ')
}

const list: CommandRun = async (call) => {
  const rows = await followUps(call).listDue({ tenantId: call.tenant.id, viewer: call.member, limit: 30 })
  if (!rows.length) return reply([say(call, '目前没有需要您做的回访。', 'There are no follow-ups for you to make.')])
  const lines = rows.map((row) => dueLine(call, row))
  if (call.message.chatType !== 'direct') lines.push(say(call, '（群里电话号码已隐藏，私聊我发送「待回访」可看到完整号码。）', '(Phone numbers are masked in groups; send "followups due" to me directly to see them in full.)'))
  return reply(lines, { heading: say(call, `待回访（${rows.length}）`, `Follow-ups due (${rows.length})`) })
}

const groupWords = { zh: { complaint: '投诉', repair: '报修', service: '服务' }, en: { complaint: 'Complaints', repair: 'Repairs', service: 'Services' } }
const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`)

function coverageLine(call: CommandCall, line: CoverageLine): string {
  const status = line.owed === 0 ? say(call, '无应回访', 'none owed') : line.met ? say(call, '达标', 'met') : say(call, '未达标', 'below target')
  const satisfaction = line.averageRating === null ? '' : say(call, `，平均满意度 ${line.averageRating.toFixed(1)} 分`, `, average rating ${line.averageRating.toFixed(1)}`)
  const unreachable = line.unreachable ? say(call, `，联系不上 ${line.unreachable}`, `, unreachable ${line.unreachable}`) : ''
  return `${groupWords[call.language][line.group]}: ${line.reached}/${line.owed} = ${percent(line.rate)}（${say(call, '目标', 'target')} ${percent(line.target)}，${status}${unreachable}${satisfaction}）`
}

const coverage: CommandRun = async (call) => {
  const months = await followUps(call).coverageThisAndLastMonth(call.tenant.id, call.tenant.timeZone)
  const lines: string[] = []
  months.forEach(({ period, lines: groups }, index) => {
    const month = localParts(period.from, call.tenant.timeZone).month
    lines.push(index === 0 ? say(call, `**本月（${month}月）**`, `**This month (${month})**`) : say(call, `**上月（${month}月）**`, `**Last month (${month})**`))
    lines.push(...groups.map((line) => coverageLine(call, line)))
  })
  return reply(lines, { heading: say(call, '回访率', 'Follow-up rates') })
}

export const followUpCommands: Record<string, CommandRun> = {
  'followup-record': recordFollowUp,
  'followup-correct': correct,
  'followup-list': list,
  'followup-coverage': coverage,
}
