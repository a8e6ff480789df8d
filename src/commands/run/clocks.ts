import { leftWhilePaused } from '../../domain/clocks/index.ts'
import { createClockService } from '../../domain/clocks/service.ts'
import { applyEffects } from '../../jobs/effects.ts'
import type { Ticket } from '../../generated/prisma/client.ts'
import type { Reply } from '../../messages/reply.ts'
import type { Language } from '../catalog.ts'
import { formatTime } from './format.ts'
import type { CommandCall, CommandRun } from './types.ts'

/** 挂起 / 恢复: pause and resume a ticket's clocks (src/domain/clocks), for any kind of ticket. */

const say = (language: Language, zh: string, en: string) => (language === 'zh' ? zh : en)
const reply = (lines: string[]): Reply => ({ lines, mentions: [], buttons: [] })
const ref = (call: CommandCall) => ({ tenantId: call.tenant.id, number: Number(call.args.ticket), actorId: call.member.id })
const clocks = (call: CommandCall) => createClockService({ prisma: call.ctx.prisma, clock: call.ctx.clock })

/** The reminders that stand for each deadline column, for every kind of ticket. */
const deadlineClocks = {
  respondBy: ['repair.onsite_escalation', 'repair.appointment_escalation'],
  resolveBy: ['repair.resolve_breach', 'complaint.resolve_breach'],
}

function duration(language: Language, ms: number): string {
  const total = Math.max(1, Math.ceil(ms / 60_000))
  const [days, hours, minutes] = [Math.floor(total / 1440), Math.floor((total % 1440) / 60), total % 60]
  const parts = language === 'zh'
    ? [days && `${days} 天`, hours && `${hours} 小时`, minutes && `${minutes} 分钟`]
    : [days && `${days} d`, hours && `${hours} h`, minutes && `${minutes} min`]
  return parts.filter(Boolean).join(' ')
}

/**
 * A paused ticket's deadline as it stands: the old time no longer holds (a resume moves it), so
 * 查 says the clock is stopped and what it has left. Null when the ticket runs normally.
 */
export function pausedDeadline(call: CommandCall, ticket: Pick<Ticket, 'pausedAt' | 'pausedRemaining'>, field: keyof typeof deadlineClocks): string | null {
  if (!ticket.pausedAt) return null
  const left = leftWhilePaused(ticket.pausedRemaining, deadlineClocks[field])
  if (left === null) return null
  if (left === 'overdue') return say(call.language, '已暂停（暂停前已超时）', 'stopped (already overdue when paused)')
  const working = left.clock === 'business'
  return say(
    call.language,
    `已暂停，恢复后还剩 ${duration('zh', left.ms)}${working ? '工作时间' : ''}`,
    `stopped; ${duration('en', left.ms)}${working ? ' of working time' : ''} left once resumed`,
  )
}

function deadlineLines(call: CommandCall, ticket: Ticket): string[] {
  const at = (time: Date) => formatTime(time, call.tenant.timeZone, call.language, call.now)
  const lines: string[] = []
  if (ticket.respondBy && ticket.status !== 'on_site') lines.push(say(call.language, `到场时限：${at(ticket.respondBy)} 前`, `On site by: ${at(ticket.respondBy)}`))
  if (ticket.resolveBy) lines.push(say(call.language, `处理时限：${at(ticket.resolveBy)} 前`, `Resolve by: ${at(ticket.resolveBy)}`))
  return lines
}

const pause: CommandRun = async (call) => {
  const result = await clocks(call).pause({ ...ref(call), reason: String(call.args.reason ?? '') })
  await applyEffects(call.ctx, result, { exceptGroupId: call.group?.id })
  const t = result.ticket
  return reply([
    say(call.language, `工单 #${t.number} 已挂起：${t.pauseReason}。时限暂停计算，期间不会提醒。`, `Ticket #${t.number} is paused: ${t.pauseReason}. Its clocks stand still and no reminder goes out.`),
    say(call.language, `可以继续时请发送「恢复 #${t.number}」。`, `Send "resume #${t.number}" when work can go on.`),
  ])
}

const resume: CommandRun = async (call) => {
  const result = await clocks(call).resume(ref(call))
  await applyEffects(call.ctx, result, { exceptGroupId: call.group?.id })
  const t = result.ticket
  return reply([
    say(call.language, `工单 #${t.number} 已恢复，时限按剩余时间继续计算。`, `Ticket #${t.number} is resumed; its clocks go on with the time they had left.`),
    ...deadlineLines(call, t),
  ])
}

export const clockCommands: Record<string, CommandRun> = { pause, resume }
