import { describe, expect, it } from 'vitest'
import { applyEffects } from '../../src/jobs/effects.ts'
import { consoleGroup } from '../support/conversation.ts'
import { startDemoWorld } from '../support/demo.ts'
import { setupTestEnv } from '../support/harness.ts'
import { adminClient } from './helpers.ts'

const env = await setupTestEnv()
// Monday 2026-11-23 in Shanghai, at a local hour and minute.
const monday = (hour: number, minute = 0) => new Date(Date.UTC(2026, 10, 23, hour - 8, minute))
const tuesday = (hour: number, minute = 0) => new Date(monday(hour, minute).getTime() + 24 * 3600_000)
env.clock.set(monday(10))
const world = await startDemoWorld(env)
const prisma = env.ctx.prisma
const tenantId = world.demo.tenantId
const admin = adminClient(env)
const desk = consoleGroup(env, world.group('front_desk'))
const agent = world.member('agent')
const numberOf = (text: string) => Number(/预约#(\d+)/.exec(text)?.[1])
const stored = () => prisma.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { bookingReminderTime: true, bookingAuditTime: true } })

describe('booking reminder and audit times in the admin API', () => {
  it('shows the defaults, sets both times and records the change', async () => {
    expect((await admin.get(`/tenants/${tenantId}`)).json()).toMatchObject({ bookingReminderTime: '10:00', bookingAuditTime: '18:00' })
    const response = await admin.patch(`/tenants/${tenantId}`, { bookingReminderTime: '09:30', bookingAuditTime: '17:00' })
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json()).toMatchObject({ bookingReminderTime: '09:30', bookingAuditTime: '17:00' })
    expect(await stored()).toEqual({ bookingReminderTime: '09:30', bookingAuditTime: '17:00' })
    const audit = await prisma.auditLog.findFirstOrThrow({ where: { tenantId, action: 'tenant.update' }, orderBy: { at: 'desc' } })
    expect(audit.data).toEqual({ bookingReminderTime: '09:30', bookingAuditTime: '17:00' })

    const created = await admin.post('/tenants', { name: '夜班酒店', bookingAuditTime: '23:30' })
    expect(created.statusCode, created.body).toBe(201)
    expect(created.json()).toMatchObject({ bookingReminderTime: '10:00', bookingAuditTime: '23:30' })
  })

  it('refuses a time that is not HH:mm, field by field, and stores nothing', async () => {
    const before = await stored()
    for (const [reminder, audit] of [['9:30', '24:00'], ['09:30:00', '18:60'], ['', 'six']]) {
      const response = await admin.patch(`/tenants/${tenantId}`, { bookingReminderTime: reminder, bookingAuditTime: audit })
      expect(response.statusCode, response.body).toBe(400)
      const fields = response.json().fields as { field: string; message: string }[]
      expect(fields.map((f) => f.field).sort()).toEqual(['bookingAuditTime', 'bookingReminderTime'])
      expect(fields[0]?.message).toContain('24-hour time like 18:00')
    }
    expect((await admin.patch(`/tenants/${tenantId}`, { bookingAuditTime: 1800 })).statusCode).toBe(400)
    expect((await admin.post('/tenants', { name: '坏时间物业', bookingReminderTime: '25:00' })).statusCode).toBe(400)
    expect(await stored()).toEqual(before)
  })

  it('a new reminder time is used for bookings made from then on', async () => {
    env.clock.set(monday(10, 30))
    const n = numberOf(await desk.say(agent, '预约 会议室A 周三上午10点 王先生'))
    const booking = await prisma.booking.findFirstOrThrow({ where: { tenantId, number: n } })
    const reminder = await prisma.reminder.findFirstOrThrow({ where: { subjectId: booking.id, kind: 'booking.customer_reminder' } })
    expect(reminder.dueAt.toISOString()).toBe(tuesday(9, 30).toISOString())
  })

  it('a changed audit time holds the same day, earlier or later, and the removal names it', async () => {
    // Made Monday for Tuesday: due to be confirmed by today's audit.
    env.clock.set(monday(11))
    const n = numberOf(await desk.say(agent, '预约 会议室A 明天下午3点 赵女士 13800138000'))
    expect((await admin.patch(`/tenants/${tenantId}`, { bookingAuditTime: '15:00' })).statusCode).toBe(200)
    expect(await world.services.bookings.sweepAudits(monday(14, 59))).toEqual([])
    const [audit] = await world.services.bookings.sweepAudits(monday(15))
    expect(audit?.removed).toContain(n)
    await applyEffects(env.ctx, audit!)
    const report = await desk.expectMessage(/预约稽核：已删除/)
    expect(report).toContain('15:00 稽核时仍未确认')
    expect(report).not.toContain('18:00')

    // Tuesday morning the audit moves to 20:00: nothing at 18:00, the audit at 20:00.
    env.clock.set(tuesday(9))
    const later = numberOf(await desk.say(agent, '预约 会议室A 明天下午3点 钱先生'))
    env.clock.set(tuesday(9, 5))
    expect((await admin.patch(`/tenants/${tenantId}`, { bookingAuditTime: '20:00' })).statusCode).toBe(200)
    expect(await world.services.bookings.sweepAudits(tuesday(18))).toEqual([])
    expect(await world.services.bookings.sweepAudits(tuesday(19, 59))).toEqual([])
    const [next] = await world.services.bookings.sweepAudits(tuesday(20))
    expect(next?.removed).toContain(later)
  })
})
