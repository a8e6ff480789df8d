import { isBookingError, SlotTaken, type BookingWithResource } from '../../domain/bookings/index.ts'
import { bookingLabel, bookingText, localeOf, rangeText, roleText, statusText, waitlistLabel } from '../../domain/bookings/locales.ts'
import { rangeOf } from '../../domain/bookings/rules.ts'
import type { Resource } from '../../generated/prisma/client.ts'
import { applyEffects } from '../../jobs/effects.ts'
import type { Reply } from '../../messages/reply.ts'
import { normalize } from '../parse/normalize.ts'
import type { When } from '../parse/values.ts'
import { localParts, zonedTime, addDays } from '../../domain/time.ts'
import { masked, yuan } from './format.ts'
import type { CommandCall, CommandRun } from './types.ts'

const reply = (lines: string[], extra: Partial<Reply> = {}): Reply => ({ lines, mentions: [], buttons: [], ...extra })
const localeFor = (call: CommandCall) => localeOf(call.language)
const say = (call: CommandCall, zh: string, en: string) => (call.language === 'zh' ? zh : en)
const tz = (call: CommandCall) => call.tenant.timeZone
const label = (call: CommandCall, number: number) => bookingLabel(localeFor(call), number)
const range = (call: CommandCall, b: { startsAt: Date; endsAt: Date }) => rangeText(localeFor(call), b.startsAt, b.endsAt, tz(call))
const bookingNumber = (call: CommandCall) => Number(call.args.ticket)
const ref = (call: CommandCall) => ({ tenantId: call.tenant.id, number: bookingNumber(call), actorId: call.member.id })
const except = (call: CommandCall) => ({ exceptGroupId: call.group?.id })

/** The resource named in the text (by name or alias, longest first) and the words left around it. */
function findResource(resources: Resource[], text: string): { resource: Resource; rest: string } | null {
  const lower = normalize(text).lower
  const names = resources
    .flatMap((resource) => [resource.name, ...resource.aliases].map((name) => ({ resource, name: normalize(name).lower })))
    .sort((a, b) => b.name.length - a.name.length)
  for (const { resource, name } of names) {
    const at = lower.indexOf(name)
    if (at !== -1) return { resource, rest: `${text.slice(0, at)} ${text.slice(at + name.length)}`.replace(/\s+/g, ' ').trim() }
  }
  return null
}

async function resourceIn(call: CommandCall, text: string) {
  const resources = await call.services.bookings.resources(call.tenant.id)
  const found = findResource(resources, text)
  if (found) return found
  const first = text.trim().split(' ')[0]
  throw Object.assign(new Error('booking.resource_unknown'), { code: first ? 'booking.resource_unknown' : 'booking.resource_required', params: { name: first } })
}

/** A parsed time as a booking range: a clock time without an end runs the resource's default length. */
function requestedRange(resource: Resource, when: When | undefined): { startsAt: Date; endsAt: Date } {
  if (!when || when.precision === 'day') throw Object.assign(new Error('booking.time_required'), { code: 'booking.time_required', params: {} })
  return rangeOf(resource, new Date(when.start), when.end ? new Date(when.end) : null)
}

/**
 * What a 预约 or a 候补 asks for: the resource and time named, for whom (the words left once the
 * resource is taken out, else the member asking), by whom and from which group.
 */
async function requestIn(call: CommandCall, details: string) {
  const { resource, rest } = await resourceIn(call, details)
  const { startsAt, endsAt } = requestedRange(resource, call.args.when as When | undefined)
  const request = { tenantId: call.tenant.id, createdById: call.member.id, groupId: call.group?.id, resourceId: resource.id, startsAt, endsAt, customerName: rest || call.member.name }
  return { resource, rest, request }
}

function bookingLines(call: CommandCall, b: BookingWithResource): string[] {
  const locale = localeFor(call)
  const who = b.customerPhone ? `${b.customerName} ${masked(b.customerPhone)}` : b.customerName
  const lines = [
    say(call, `${b.resource.name}　${range(call, b)}`, `${b.resource.name}  ${range(call, b)}`),
    say(call, `客人：${who}　状态：${statusText[locale][b.status]}`, `Guest: ${who}  Status: ${statusText[locale][b.status]}`),
  ]
  if (b.depositCents) lines.push(say(call, `定金：${yuan(b.depositCents)} 元`, `Deposit: ¥${yuan(b.depositCents)}`))
  return lines
}

/** A refusal says what holds the slot and offers the nearest free ranges and the waitlist. */
async function refusal(call: CommandCall, error: SlotTaken): Promise<Reply> {
  const resources = await call.services.bookings.resources(call.tenant.id)
  const resource = resources.find((r) => r.id === error.resourceId)
  const holders = error.holders.map((h) => `${label(call, h.number)}（${range(call, h)}，${statusText[localeFor(call)][h.status]}）`).join(say(call, '、', ', '))
  const lines = [say(call, `该时段已被占用：${holders || '已满'}。`, `That time is taken: ${holders || 'fully booked'}.`)]
  if (resource) {
    const free = await call.services.bookings.nearestFree(resource, error.startsAt, error.endsAt, tz(call))
    if (free.length) lines.push(say(call, `最近的空闲时段：${free.map((f) => range(call, f)).join('、')}`, `Nearest free: ${free.map((f) => range(call, f)).join(', ')}`))
    lines.push(say(call, `也可以排队：排队 ${resource.name} ${range(call, error)} 客人姓名 电话`, `Or join the waitlist: waitlist ${resource.name} ${range(call, error)} <name> <phone>`))
  }
  return reply(lines, { heading: say(call, '抱歉，预约未成功', 'Sorry, that booking did not go through') })
}

/** Booking errors become polite replies; anything else goes on to the shared handling. */
function guarded(run: CommandRun): CommandRun {
  return async (call) => {
    try {
      return await run(call)
    } catch (error) {
      if (error instanceof SlotTaken) return refusal(call, error)
      const code = (error as { code?: unknown }).code
      if (isBookingError(error) || (typeof code === 'string' && code.startsWith('booking.'))) {
        const { params } = error as unknown as { params: Record<string, string | number> }
        return reply([bookingText(localeFor(call), String(code), { ...params, action: actionWord(call, String(params?.action ?? '')) })])
      }
      throw error
    }
  }
}

function actionWord(call: CommandCall, action: string): string {
  const zh: Record<string, string> = { confirm: '确认', check_in: '到店', cancel: '取消', delete: '删除', reschedule: '改期', complete: '完成', prepare: '确认准备' }
  const en: Record<string, string> = { confirm: 'confirmed', check_in: 'checked in', cancel: 'cancelled', delete: 'deleted', reschedule: 'rescheduled', complete: 'completed', prepare: 'prepared for' }
  return (call.language === 'zh' ? zh : en)[action] ?? action
}

const show: CommandRun = async (call) => {
  const b = await call.services.bookings.show({ tenantId: call.tenant.id, number: bookingNumber(call) })
  const lines = bookingLines(call, b)
  if (b.createdBy) lines.push(say(call, `登记人：${b.createdBy.name}`, `Booked by: ${b.createdBy.name}`))
  if (b.cancelReason) lines.push(say(call, `取消原因：${b.cancelReason}`, `Cancelled: ${b.cancelReason}`))
  return reply(lines, { heading: label(call, b.number) })
}

const create: CommandRun = async (call) => {
  const details = String(call.args.details ?? '').trim()
  // 预约 #12 looks a booking up instead of making one.
  const lookup = /^#\s*(\d+)$/.exec(details)
  if (lookup && !call.args.when) return show({ ...call, args: { ticket: Number(lookup[1]) } })
  const { rest, request } = await requestIn(call, details)
  const unit = call.args.unit ? String(call.args.unit) : null
  const result = await call.services.bookings.create({
    ...request,
    customerPhone: (call.args.phone as string | undefined) ?? (rest ? null : call.member.phone),
    depositCents: (call.args.deposit as number | undefined) ?? null,
    note: unit ? say(call, `地址 ${unit}`, `unit ${unit}`) : null,
  })
  await applyEffects(call.ctx, result, except(call))
  const b = result.booking
  const lines = bookingLines(call, b)
  if (unit) lines.push(say(call, `地址：${unit}`, `Unit: ${unit}`))
  if (b.status === 'unconfirmed') lines.push(say(call, `请在今天 ${call.tenant.bookingAuditTime} 稽核前确认（确认 #${b.number}），未确认的预约届时会被删除。`, `Confirm it before the ${call.tenant.bookingAuditTime} audit ("confirm #${b.number}"); unconfirmed bookings are removed then.`))
  return reply(lines, {
    heading: say(call, `已登记${label(call, b.number)}`, `${label(call, b.number)} recorded`),
    buttons: b.status === 'unconfirmed' ? [{ label: say(call, '确认', 'Confirm'), command: say(call, `确认 #${b.number}`, `confirm #${b.number}`) }] : [],
  })
}

const confirm: CommandRun = async (call) => {
  const result = await call.services.bookings.confirm({ ...ref(call), depositCents: (call.args.deposit as number | undefined) ?? null })
  await applyEffects(call.ctx, result, except(call))
  const b = result.booking
  const deposit = b.depositCents ? say(call, `，已收定金 ${yuan(b.depositCents)} 元`, `, deposit ¥${yuan(b.depositCents)} received`) : ''
  return reply([say(call, `${label(call, b.number)} 已确认${deposit}。`, `${label(call, b.number)} is confirmed${deposit}.`), ...bookingLines(call, b)])
}

const checkIn: CommandRun = async (call) => {
  const result = await call.services.bookings.checkIn(ref(call))
  await applyEffects(call.ctx, result, except(call))
  return reply([say(call, `${label(call, result.booking.number)} 已到店：${result.booking.customerName}。`, `${label(call, result.booking.number)} checked in: ${result.booking.customerName}.`)])
}

const complete: CommandRun = async (call) => {
  const result = await call.services.bookings.complete(ref(call))
  await applyEffects(call.ctx, result, except(call))
  const followUp = result.booking.resource.kind === 'service' ? say(call, '今天内请回访客人。', ' Please call the customer back today.') : ''
  return reply([say(call, `${label(call, result.booking.number)} 已完成。${followUp}`, `${label(call, result.booking.number)} is done.${followUp}`)])
}

const prepared: CommandRun = async (call) => {
  const result = await call.services.bookings.prepared(ref(call))
  await applyEffects(call.ctx, result, except(call))
  const roles = (list: string[]) => list.map((r) => roleText[localeFor(call)][r] ?? r).join(say(call, '、', ', '))
  const left = result.pendingRoles.length
    ? say(call, `尚未确认：${roles(result.pendingRoles)}（每天早上提醒）。`, `Still to confirm: ${roles(result.pendingRoles)} (reminded every morning).`)
    : say(call, '各岗位都已准备好。', 'Every role is ready.')
  return reply([say(call, `${label(call, result.booking.number)} 准备已确认。${left}`, `${label(call, result.booking.number)} preparation confirmed. ${left}`)])
}

const cancel: CommandRun = async (call) => {
  const result = await call.services.bookings.cancel({ ...ref(call), reason: String(call.args.reason ?? '') })
  await applyEffects(call.ctx, result, except(call))
  return reply([say(call, `${label(call, result.booking.number)} 已取消，原因：${result.booking.cancelReason}`, `${label(call, result.booking.number)} cancelled: ${result.booking.cancelReason}`)])
}

const remove: CommandRun = async (call) => {
  const result = await call.services.bookings.remove(ref(call))
  await applyEffects(call.ctx, result, except(call))
  return reply([say(call, `${label(call, result.booking.number)} 已删除。`, `${label(call, result.booking.number)} deleted.`)])
}

const reschedule: CommandRun = async (call) => {
  const current = await call.services.bookings.show({ tenantId: call.tenant.id, number: bookingNumber(call) })
  const when = call.args.when as When | undefined
  // A new start without an end keeps the booking's length.
  const { startsAt, endsAt } = when && !when.end && when.precision === 'time'
    ? { startsAt: new Date(when.start), endsAt: new Date(new Date(when.start).getTime() + current.endsAt.getTime() - current.startsAt.getTime()) }
    : requestedRange(current.resource, when)
  const result = await call.services.bookings.reschedule({ ...ref(call), startsAt, endsAt })
  await applyEffects(call.ctx, result, except(call))
  return reply([say(call, `${label(call, result.booking.number)} 已改期：`, `${label(call, result.booking.number)} moved:`), ...bookingLines(call, result.booking)])
}

function dayOf(call: CommandCall, when: When | undefined): { from: Date; until: Date } {
  const at = when ? new Date(when.start) : call.now
  const p = localParts(at, tz(call))
  const next = addDays({ year: p.year, month: p.month, day: p.day }, 1)
  return { from: zonedTime({ year: p.year, month: p.month, day: p.day, hour: 0, minute: 0 }, tz(call)), until: zonedTime({ ...next, hour: 0, minute: 0 }, tz(call)) }
}

const free: CommandRun = async (call) => {
  const { resource } = await resourceIn(call, String(call.args.details ?? ''))
  const { from } = dayOf(call, call.args.when as When | undefined)
  const ranges = await call.services.bookings.freeRanges(resource, new Date(Math.max(from.getTime(), call.now.getTime())), tz(call))
  const heading = say(call, `${resource.name} 空闲时段`, `${resource.name} free`)
  if (!ranges.length) return reply([say(call, '这一天已经约满了。可以发送「排队 …」排队等候。', 'Fully booked that day; you can join the waitlist.')], { heading })
  return reply(ranges.map((r) => `· ${range(call, r)}`), { heading })
}

const list: CommandRun = async (call) => {
  const day = dayOf(call, call.args.when as When | undefined)
  const bookings = await call.services.bookings.list({ tenantId: call.tenant.id, ...day })
  const heading = say(call, `预约列表（${bookings.length}）`, `Bookings (${bookings.length})`)
  if (!bookings.length) return reply([say(call, '这一天没有预约。', 'No bookings that day.')], { heading })
  const locale = localeFor(call)
  return reply(bookings.map((b) => `${label(call, b.number)} ${b.resource.name} ${range(call, b)} ${masked(b.customerName)}（${statusText[locale][b.status]}）`), { heading })
}

const waitlist: CommandRun = async (call) => {
  const { resource, request } = await requestIn(call, String(call.args.details ?? ''))
  const result = await call.services.bookings.joinWaitlist({
    ...request,
    customerPhone: (call.args.phone as string | undefined) ?? null,
  })
  const e = result.entry
  return reply([
    say(call, `${resource.name} ${range(call, e)}，${e.customerName}，排第 ${result.position} 位。有空位时会在群里通知。`, `${resource.name} ${range(call, e)}, ${e.customerName}: number ${result.position} in line. The group hears when it frees.`),
  ], { heading: waitlistLabel(localeFor(call), e.number) })
}

const resources: CommandRun = async (call) => {
  const all = await call.services.bookings.resources(call.tenant.id)
  if (!all.length) return reply([say(call, '还没有可预约的资源，请管理员在管理页添加。', 'Nothing is bookable yet; an admin can add resources on the admin page.')])
  return reply(
    all.map((r) => {
      const extra = [r.capacity > 1 ? say(call, `可同时 ${r.capacity} 个`, `${r.capacity} at once`) : '', r.depositRequired ? say(call, '需定金', 'deposit needed') : '', r.priceCents ? `¥${yuan(r.priceCents)}` : '']
        .filter(Boolean)
        .join(say(call, '，', ', '))
      return `· ${r.name} ${r.opensAt}–${r.closesAt}${extra ? `（${extra}）` : ''}`
    }),
    { heading: say(call, `可预约资源（${all.length}）`, `Bookable (${all.length})`) },
  )
}

export const bookingCommands: Record<string, CommandRun> = {
  'booking-create': guarded(create),
  'booking-confirm': guarded(confirm),
  'booking-check-in': guarded(checkIn),
  'booking-complete': guarded(complete),
  'booking-prepared': guarded(prepared),
  'booking-cancel': guarded(cancel),
  'booking-delete': guarded(remove),
  'booking-reschedule': guarded(reschedule),
  'booking-free': guarded(free),
  'booking-list': guarded(list),
  'booking-waitlist': guarded(waitlist),
  'resource-list': guarded(resources),
}
