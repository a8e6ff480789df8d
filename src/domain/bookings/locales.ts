import type { BookingStatus } from '../../generated/prisma/client.ts'
import { maskPhones } from '../../text/phone.ts'
import { localParts } from '../time.ts'

/** Booking text by key, zh-CN first; notifications use the tenant's locale, replies the asker's language. */
export type BookingLocale = 'zh-CN' | 'en-US'

export const localeOf = (language: string): BookingLocale => (language === 'en' || language === 'en-US' ? 'en-US' : 'zh-CN')

const pad = (n: number) => String(n).padStart(2, '0')

/** "12月12日 09:00–12:00" / "Dec 12 09:00–12:00" in the tenant's zone. */
export function rangeText(locale: BookingLocale, startsAt: Date, endsAt: Date, timeZone: string): string {
  const a = localParts(startsAt, timeZone)
  const b = localParts(endsAt, timeZone)
  const sameDay = a.year === b.year && a.month === b.month && a.day === b.day
  const day = (p: typeof a) => (locale === 'zh-CN' ? `${p.month}月${p.day}日` : `${new Date(Date.UTC(2000, p.month - 1, 1)).toLocaleString('en-US', { month: 'short', timeZone: 'UTC' })} ${p.day}`)
  const clock = (p: typeof a) => `${pad(p.hour)}:${pad(p.minute)}`
  return `${day(a)} ${clock(a)}–${sameDay ? '' : `${day(b)} `}${clock(b)}`
}

export const clockText = (at: Date, timeZone: string) => {
  const p = localParts(at, timeZone)
  return `${pad(p.hour)}:${pad(p.minute)}`
}

/** 预约#12 / booking B12: never to be confused with a ticket number (#1012). */
export const bookingLabel = (locale: BookingLocale, number: number) => (locale === 'zh-CN' ? `预约#${number}` : `booking B${number}`)
export const waitlistLabel = (locale: BookingLocale, number: number) => (locale === 'zh-CN' ? `排队#${number}` : `waitlist W${number}`)

export const statusText: Record<BookingLocale, Record<BookingStatus, string>> = {
  'zh-CN': { unconfirmed: '未确认', confirmed: '已确认', checked_in: '已到店', no_show: '未到店', completed: '已完成', cancelled: '已取消', removed: '已删除' },
  'en-US': { unconfirmed: 'unconfirmed', confirmed: 'confirmed', checked_in: 'checked in', no_show: 'no-show', completed: 'completed', cancelled: 'cancelled', removed: 'removed' },
}

export const roleText: Record<BookingLocale, Record<string, string>> = {
  'zh-CN': { agent: '前台', technician: '工程', supervisor: '主管', admin: '管理员', customer: '客户' },
  'en-US': { agent: 'front desk', technician: 'maintenance', supervisor: 'supervisor', admin: 'admin', customer: 'customer' },
}

export const removedReasonText: Record<BookingLocale, Record<string, string>> = {
  'zh-CN': { audit: '{time} 稽核时仍未确认', deleted: '已删除', hold_expired: '保留期满未确认' },
  'en-US': { audit: 'still unconfirmed at the daily audit', deleted: 'deleted', hold_expired: 'hold expired unconfirmed' },
}

/** What a notification says about one booking: who, what, when (phones masked: this goes to groups). */
export interface BookingFacts {
  number: number
  resource: string
  range: string
  customer: string
  phone: string | null
}

const who = (f: BookingFacts) => maskPhones(f.phone ? `${f.customer} ${f.phone}` : f.customer)

type Params = Record<string, string | number>
type Texts = Record<string, (p: Params) => string>

/** Sentences for domain notifications and booking errors. */
export const bookingTexts: Record<BookingLocale, Texts> = {
  'zh-CN': {
    'booking.not_found': (p) => `没有找到预约#${p.number}，请核对预约号（预约号与工单号不同）。`,
    'booking.resource_unknown': (p) => `没有找到可预约的「${p.name}」。发送「资源」查看可预约的场地和服务。`,
    'booking.resource_required': () => '请写明要预约的场地或服务，例如：预约 会议室A 明天下午2点到4点 张先生 13800138000。发送「资源」查看全部。',
    'booking.time_required': () => '请写明预约时间，例如「明天下午2点到4点」「12月12日 9:00-12:00」「周六上午10点 2小时」。',
    'booking.in_past': () => '这个时间已经过去了，请换一个时间。',
    'booking.outside_hours': (p) => `${p.resource} 的开放时间是 ${p.opensAt}–${p.closesAt}，请在开放时间内预约。`,
    'booking.off_step': (p) => `${p.resource} 按 ${p.step} 分钟一档预约（从 ${p.opensAt} 起），请选整档时间。`,
    'booking.too_soon': (p) => `${p.resource} 需要至少提前 ${p.hours} 小时预约。`,
    'booking.too_far': (p) => `${p.resource} 最多只能提前 ${p.days} 天预约。`,
    'booking.reason_required': (p) => `请写明取消原因，例如：取消预约 #${p.number} 客人行程有变。`,
    'booking.deposit_required': (p) => `${p.resource} 需收定金才能确认，请写成：确认 #${p.number} 已收定金200元。`,
    'booking.locked': (p) => `预约#${p.number} 创建已超过 2 小时，已锁定，只有主管可以删除。如需取消请发送：取消预约 #${p.number} 原因。`,
    'booking.not_allowed': (p) => `预约#${p.number} 不是您登记的，2 小时内只有登记人或前台可以删除；也可发送「取消预约 #${p.number} 原因」。`,
    'booking.wrong_status': (p) => `预约#${p.number} ${statusText['zh-CN'][p.status as BookingStatus] ?? p.status}，不能${p.action}。`,
    'waitlist.not_found': (p) => `没有找到排队#${p.number}。`,
    customerReminder: (p) => `明日预约提醒：${p.label} ${p.resource} ${p.range}，客人 ${p.who}。请提前联系客人确认行程。`,
    staffReminder: (p) => `${p.label} ${p.resource} 将于 ${p.clock} 开始（客人 ${p.who}），请做好准备；客人到达后发送「到店 #${p.number}」。`,
    noShow: (p) => `${p.label} ${p.resource} ${p.range}：开始 1 小时后仍未到店，已记为未到店，场地已释放。客人若稍后到达，仍可发送「到店 #${p.number}」。`,
    auditHeading: (p) => `${p.date} 预约稽核：已删除 ${p.count} 个未确认的预约`,
    auditLine: (p) => `· ${p.label} ${p.resource} ${p.range} ${p.who}（${p.reason}）`,
    auditNone: (p) => `${p.date} 预约稽核：没有未确认的预约需要删除。`,
    waitlistOffer: (p) => `${p.resource} ${p.range} 有空位了。排在第一位的是 ${p.entry}：${p.who}，请联系客人，并在 ${p.until} 前发送「预约 ${p.resource} …」为其登记；逾时将顺延给下一位。`,
    waitlistOfferExpired: (p) => `${p.entry} 的空位保留已到期，顺延给下一位。`,
    'booking.no_prep_for_role': (p) => `预约#${p.number} 没有需要您这个岗位准备的事项。`,
    serviceCall: (p) => `${p.label} ${p.resource} ${p.range}（客人 ${p.who}）登记已满 2 小时，仍未与客人确认上门时间，请尽快致电客人，确认后发送「确认 #${p.number}」。`,
    serviceCallEscalation: (p) => `${p.label} ${p.resource} ${p.range}（客人 ${p.who}）超过 2 小时仍未致电客人确认上门时间，请主管跟进。`,
    holdExpired: (p) => `${p.label} ${p.resource} ${p.range}（${p.who}）：收定金后保留 5 个工作日已满仍未确认，已取消保留，床位已释放。`,
    prepChase: (p) => `${p.label} ${p.resource} ${p.range} 的准备工作尚未确认：${p.roles}。准备好后请在群里发送「已准备 #${p.number}」。`,
  },
  'en-US': {
    'booking.not_found': (p) => `There is no booking B${p.number}; please check the number (booking numbers are not ticket numbers).`,
    'booking.resource_unknown': (p) => `There is nothing bookable called "${p.name}". Send "resources" for the list.`,
    'booking.resource_required': () => 'Please say what to book, e.g. book 会议室A tomorrow 3pm-5pm Mr Zhang 13800138000. Send "resources" for the list.',
    'booking.time_required': () => 'Please give the time, e.g. "tomorrow 3pm-5pm" or "Dec 12 9:00-12:00".',
    'booking.in_past': () => 'That time has passed; please choose another.',
    'booking.outside_hours': (p) => `${p.resource} is open ${p.opensAt}–${p.closesAt}; please book within those hours.`,
    'booking.off_step': (p) => `${p.resource} is booked in steps of ${p.step} minutes from ${p.opensAt}; please pick a step.`,
    'booking.too_soon': (p) => `${p.resource} must be booked at least ${p.hours} hours ahead.`,
    'booking.too_far': (p) => `${p.resource} can be booked at most ${p.days} days ahead.`,
    'booking.reason_required': (p) => `Please give a reason, e.g. cancel booking #${p.number} guest changed plans.`,
    'booking.deposit_required': (p) => `${p.resource} needs a deposit to confirm: confirm #${p.number} deposit 200.`,
    'booking.locked': (p) => `Booking B${p.number} is more than 2 hours old and locked: only a supervisor may delete it. To cancel: cancel booking #${p.number} <reason>.`,
    'booking.not_allowed': (p) => `Booking B${p.number} is not yours: within 2 hours only its creator or the desk may delete it; you can cancel it with a reason.`,
    'booking.wrong_status': (p) => `Booking B${p.number} is ${statusText['en-US'][p.status as BookingStatus] ?? p.status}; it cannot be ${p.action}.`,
    'waitlist.not_found': (p) => `There is no waitlist entry W${p.number}.`,
    customerReminder: (p) => `Reminder for tomorrow: ${p.label} ${p.resource} ${p.range}, guest ${p.who}. Please call the guest to confirm.`,
    staffReminder: (p) => `${p.label} ${p.resource} starts at ${p.clock} (guest ${p.who}); when the guest arrives send "check in #${p.number}".`,
    noShow: (p) => `${p.label} ${p.resource} ${p.range}: no check-in 1 hour after the start, marked as no-show and released. A late guest can still be checked in with "check in #${p.number}".`,
    auditHeading: (p) => `Booking audit ${p.date}: ${p.count} unconfirmed booking(s) removed`,
    auditLine: (p) => `· ${p.label} ${p.resource} ${p.range} ${p.who} (${p.reason})`,
    auditNone: (p) => `Booking audit ${p.date}: no unconfirmed bookings to remove.`,
    waitlistOffer: (p) => `${p.resource} ${p.range} is free. First in line is ${p.entry}: ${p.who}. Please call them and book it for them before ${p.until}; after that it goes to the next in line.`,
    waitlistOfferExpired: (p) => `The offer to ${p.entry} has lapsed; it goes to the next in line.`,
    'booking.no_prep_for_role': (p) => `Booking B${p.number} has nothing for your role to prepare.`,
    serviceCall: (p) => `${p.label} ${p.resource} ${p.range} (guest ${p.who}) was booked 2 hours ago and the visit time is not confirmed: please call the customer, then send "confirm #${p.number}".`,
    serviceCallEscalation: (p) => `${p.label} ${p.resource} ${p.range} (guest ${p.who}): nobody has called the customer to confirm the visit time for over 2 hours; supervisors, please follow up.`,
    holdExpired: (p) => `${p.label} ${p.resource} ${p.range} (${p.who}): held 5 working days after the deposit without confirmation; the hold is cancelled and the bed released.`,
    prepChase: (p) => `${p.label} ${p.resource} ${p.range}: preparations not yet confirmed by ${p.roles}. When ready, send "prepared #${p.number}" in the group.`,
  },
}

export function bookingText(locale: BookingLocale, key: string, params: Params = {}): string {
  const text = bookingTexts[locale][key] ?? bookingTexts['zh-CN'][key]
  return text ? text(params) : key
}

export function factsParams(locale: BookingLocale, f: BookingFacts): Params {
  return { label: bookingLabel(locale, f.number), number: f.number, resource: f.resource, range: f.range, who: who(f) }
}
