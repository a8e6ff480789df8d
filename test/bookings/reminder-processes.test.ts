import { describe, expect, it } from 'vitest'
import { consoleGroup } from '../support/conversation.ts'
import { setupTestEnv, TEST_ADMIN_TOKEN } from '../support/harness.ts'
import { deleteRedisPrefix } from '../support/services.ts'
import { sleep, waitFor } from '../support/wait.ts'
import { startWorkers } from '../support/worker-processes.ts'

// Worker processes run on the real clock, so the day-before reminder is made to fall due about a
// minute from now: the tenant's zone is picked so that minute is mid-morning there (the reminder
// goes out by 12:00), and the booking starts the next local day.

const env = await setupTestEnv()
const prisma = env.ctx.prisma

// Two worker processes on this file's schema and Redis prefix; this process only serves the console.
await startWorkers(env, 2)

const MINUTE = 60_000
/** The first whole minute at least 40 s away: time to book and flush before it comes. */
const dueAt = new Date(Math.ceil((Date.now() + 40_000) / MINUTE) * MINUTE)
/** A fixed-offset zone where `dueAt` is 10:xx: Etc/GMT-N is UTC+N. */
const offsetHours = ((10 - dueAt.getUTCHours() + 36) % 24) - 12
const timeZone = offsetHours === 0 ? 'UTC' : offsetHours > 0 ? `Etc/GMT-${offsetHours}` : `Etc/GMT+${-offsetHours}`
const local = (at: Date) => Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at).map((p) => [p.type, p.value]))
const reminderTime = `${local(dueAt).hour}:${local(dueAt).minute}`
const tomorrow = local(new Date(dueAt.getTime() + 24 * 60 * MINUTE))

const tenant = await prisma.tenant.create({ data: { name: '预约提醒演练物业', timeZone, bookingReminderTime: reminderTime } })
const deskGroup = await prisma.chatGroup.create({ data: { tenantId: tenant.id, platform: 'console', externalId: 'remind-desk', name: '前台群', purpose: 'front_desk' } })
const agent = await prisma.member.create({ data: { tenantId: tenant.id, platform: 'console', externalUserId: 'remind-agent', name: '前台小周', roles: ['agent'] } })
const room = await env.app.inject({
  method: 'POST',
  url: `/admin/api/tenants/${tenant.id}/resources`,
  headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
  payload: { name: '会议室A', kind: 'room', opensAt: '08:00', closesAt: '22:00' },
})
expect(room.statusCode).toBe(201)
const desk = consoleGroup(env, deskGroup.id)

describe('the day-before customer reminder with two workers and a Redis flush', () => {
  it('arrives once, at the tenant’s reminder time, after Redis lost its job', async () => {
    expect(reminderTime < '12:00').toBe(true)
    const booked = await desk.say(agent.id, `预约 会议室A ${tomorrow.month}月${tomorrow.day}日 14:00-16:00 张先生 13800138000`)
    expect(booked).toMatch(/已登记预约#1/)

    const reminder = await prisma.reminder.findFirstOrThrow({ where: { tenantId: tenant.id, kind: 'booking.customer_reminder' } })
    expect(reminder).toMatchObject({ status: 'pending', dueAt })

    // Redis loses this deployment's keys (the queued job with them) before the reminder is due;
    // the workers' upkeep rebuilds what the database still says is pending.
    const jobs = env.ctx.queues.reminders
    await waitFor(async () => (await jobs.getJobState(reminder.id)) === 'delayed', { what: 'the reminder to be queued', timeoutMs: 10_000 })
    expect(Date.now()).toBeLessThan(dueAt.getTime())
    await deleteRedisPrefix(env.prefix)
    expect(await jobs.getJobState(reminder.id)).toBe('unknown')

    const pattern = /明日预约提醒：预约#1 会议室A/
    await desk.expectMessage(pattern, dueAt.getTime() - Date.now() + 40_000)
    // Both workers had every chance to send it again.
    await sleep(4000)
    const sent = (await desk.read()).filter((m) => !m.replyTo && pattern.test(m.text))
    expect(sent).toHaveLength(1)
    expect(sent[0].text).toContain('张先生')
    expect(sent[0].text).not.toContain('13800138000')
    // Not early, and still in the morning of the day before.
    expect(new Date(sent[0].at).getTime()).toBeGreaterThanOrEqual(dueAt.getTime())
    expect(Number(local(new Date(sent[0].at)).hour)).toBeLessThan(12)

    const rows = await prisma.reminder.findMany({ where: { tenantId: tenant.id, kind: 'booking.customer_reminder' } })
    expect(rows.map((row) => row.status)).toEqual(['sent'])
  }, 150_000)
})
