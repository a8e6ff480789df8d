import type { GroupPurpose, Role } from '../../generated/prisma/enums.ts'
import { reportLocale } from '../../domain/reports/messages.ts'
import { localDateOf, monthPeriodOf, weekPeriod, type ReportFigures, type ReportPeriod, type ReportScope } from '../../domain/reports/index.ts'
import { dailyFigures, periodFigures } from '../../domain/reports/figures.ts'
import { summaryReply } from '../../domain/reports/summary-reply.ts'
import { addDays, isoDate } from '../../domain/time.ts'
import type { Reply } from '../../messages/reply.ts'
import type { CommandCall, CommandRun } from './types.ts'

const say = (call: CommandCall, zh: string, en: string) => (call.language === 'zh' ? zh : en)

/**
 * What the caller may read in this group: the group's own report, narrowed by role. Customers
 * read counts only; the management report is for supervisors and admins.
 */
export function permittedScope(purpose: GroupPurpose, roles: Role[]): ReportScope {
  const has = (...wanted: Role[]) => roles.some((r) => wanted.includes(r))
  if (!has('agent', 'technician', 'supervisor', 'admin')) return 'customer_service'
  if (purpose === 'management' && !has('supervisor', 'admin')) return has('agent') ? 'front_desk' : 'maintenance'
  return purpose
}

/** 今天 / 昨天 / 前天 / 12月5日 / 2030-12-05 / 12-05 / today / yesterday: a local date, or null when not understood. */
export function reportDate(text: string | undefined, today: string): string | null {
  const value = (text ?? '').trim().toLowerCase()
  const [y, m, d] = today.split('-').map(Number)
  const base = { year: y, month: m, day: d }
  if (!value || value === '今天' || value === 'today') return today
  if (value === '昨天' || value === 'yesterday') return isoDate(addDays(base, -1))
  if (value === '前天') return isoDate(addDays(base, -2))
  const full = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(value)
  const short = /^(\d{1,2})[-/.月](\d{1,2})[日号]?$/.exec(value)
  const [year, month, day] = full ? [Number(full[1]), Number(full[2]), Number(full[3])] : short ? [y, Number(short[1]), Number(short[2])] : [0, 0, 0]
  if (!month || month > 12 || !day || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return null
  // 12月5日 typed in January means last December.
  const guessed = isoDate({ year, month, day })
  return !full && guessed > today ? isoDate({ year: year - 1, month, day }) : guessed
}

/** On demand as scheduled: a report too long for one message ends with a link to the full one in the workspace. */
function render(call: CommandCall, figures: ReportFigures): Reply {
  const workspaceUrl = `${call.ctx.config.PUBLIC_BASE_URL}/workspace`
  return summaryReply(figures, reportLocale(call.language === 'en' ? 'en-US' : call.tenant.locale), { workspaceUrl })
}

const scopeOf = (call: CommandCall) => permittedScope(call.group?.purpose ?? 'customer_service', call.member.roles)
const todayOf = (call: CommandCall) => localDateOf(call.now, call.tenant.timeZone)

const daily: CommandRun = async (call) => {
  const today = todayOf(call)
  const date = reportDate(call.args.day as string | undefined, today)
  if (!date) {
    return { lines: [say(call, `没看懂日期「${call.args.day}」。可以写：日报 昨天、日报 12月5日、日报 2030-12-05`, `I could not read the date "${call.args.day}". Try: daily report yesterday, daily report 2030-12-05`)], mentions: [], buttons: [] }
  }
  if (date > today) return { lines: [say(call, '还没到这一天，日报要当天或之后才有。', 'That day has not come yet.')], mentions: [], buttons: [] }
  return render(call, await dailyFigures(call.ctx.prisma, { tenantId: call.tenant.id, date, scope: scopeOf(call) }))
}

/** This week or month so far, up to today. */
const soFar = (periodOf: (date: string, timeZone: string) => ReportPeriod): CommandRun => async (call) => {
  const today = todayOf(call)
  const period = periodOf(today, call.tenant.timeZone)
  return render(call, await periodFigures(call.ctx.prisma, { tenantId: call.tenant.id, from: period.startDate, to: period.endDate, scope: scopeOf(call), period }))
}

export const reportCommands: Record<string, CommandRun> = {
  'daily-report': daily,
  'weekly-report': soFar(weekPeriod),
  'monthly-report': soFar(monthPeriodOf),
}

