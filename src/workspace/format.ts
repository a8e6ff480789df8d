import { addDays, isoDate, localParts, zonedTime, type LocalDate } from '../time/zone.ts'

/** "2026-11-23 10:05" in the tenant's zone: the same wall time the chat shows. */
export function formatTime(at: Date | null | undefined, timeZone: string): string {
  if (!at) return ''
  const p = localParts(at, timeZone)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`
}

export function parseIsoDate(text: string | undefined): LocalDate | undefined {
  const match = text ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text) : null
  if (!match) return undefined
  const date = { year: Number(match[1]), month: Number(match[2]), day: Number(match[3]) }
  return isoDate(date) === text && date.month >= 1 && date.month <= 12 ? date : undefined
}

export const startOfDay = (date: LocalDate, timeZone: string) => zonedTime({ ...date, hour: 0, minute: 0 }, timeZone)
export const today = (now: Date, timeZone: string): LocalDate => localParts(now, timeZone)
export { addDays, isoDate, type LocalDate }

/** Phone numbers on screen show only the last four digits, as the chat does outside direct messages. */
export function maskPhone(phone: string | null | undefined): string {
  if (!phone) return ''
  return phone.length > 4 ? `${'*'.repeat(Math.min(phone.length - 4, 7))}${phone.slice(-4)}` : phone
}
