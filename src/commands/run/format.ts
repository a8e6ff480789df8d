import { localParts } from '../../domain/time.ts'
import type { Priority, TicketStatus } from '../../generated/prisma/client.ts'
import { maskPhones } from '../../text/phone.ts'
import type { Language } from '../catalog.ts'

const pad = (n: number) => String(n).padStart(2, '0')

/** "11月25日 15:00" / "Nov 25 15:00" in the tenant's zone; today's date is left out. */
export function formatTime(at: Date, timeZone: string, language: Language, now?: Date): string {
  const p = localParts(at, timeZone)
  const clock = `${pad(p.hour)}:${pad(p.minute)}`
  if (now) {
    const today = localParts(now, timeZone)
    if (today.year === p.year && today.month === p.month && today.day === p.day) return language === 'zh' ? `今天 ${clock}` : `today ${clock}`
  }
  if (language === 'zh') return `${p.month}月${p.day}日 ${clock}`
  const month = new Date(Date.UTC(2000, p.month - 1, 1)).toLocaleString('en-US', { month: 'short', timeZone: 'UTC' })
  return `${month} ${p.day} ${clock}`
}

export const priorityWord: Record<Language, Record<Priority, string>> = {
  zh: { urgent: '紧急', high: '高', normal: '普通', low: '低' },
  en: { urgent: 'urgent', high: 'high', normal: 'normal', low: 'low' },
}

export const statusWord: Record<Language, Record<TicketStatus, string>> = {
  zh: { open: '待派单', assigned: '已派单', on_site: '已到场', done: '已完成', closed: '已关闭', cancelled: '已取消' },
  en: { open: 'open', assigned: 'assigned', on_site: 'on site', done: 'done', closed: 'closed', cancelled: 'cancelled' },
}

export const roleWord: Record<Language, Record<string, string>> = {
  zh: { customer: '业主', agent: '客服', technician: '维修工', supervisor: '主管', admin: '管理员' },
  en: { customer: 'customer', agent: 'agent', technician: 'technician', supervisor: 'supervisor', admin: 'admin' },
}

/** Group chats never show a full phone number. */
export const masked = maskPhones

export function yuan(cents: number): string {
  return (cents / 100).toFixed(cents % 100 === 0 ? 0 : 2)
}
