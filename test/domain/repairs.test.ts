import { beforeEach, describe, expect, it } from 'vitest'
import { isDomainError, type DomainErrorCode } from '../../src/domain/errors.ts'
import { createRepairService } from '../../src/domain/tickets.ts'
import { BadInput, Conflict, Forbidden, NotFound, type AppError } from '../../src/errors.ts'
import { setupTestEnv } from '../support/harness.ts'
import { createTeam, hours, minutes, type Team } from './fixtures.ts'

const env = await setupTestEnv()
const prisma = env.ctx.prisma
const repairs = createRepairService({ prisma, clock: env.clock })

// Monday 2026-11-23 10:00 in Asia/Shanghai.
const mondayMorning = new Date('2026-11-23T02:00:00Z')

async function expectDomainError(promise: Promise<unknown>, kind: new (...args: never[]) => AppError, code: DomainErrorCode) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(kind)
  expect(isDomainError(error) ? error.code : error).toBe(code)
}

const pendingKinds = async (subjectId: string) =>
  (await prisma.reminder.findMany({ where: { subjectId, status: 'pending' }, orderBy: { dueAt: 'asc' } })).map((r) => r.kind)

let team: Team
beforeEach(async () => {
  env.clock.set(mondayMorning)
  team = await createTeam(prisma)
})

const urgentLeak = (t: Team, extra: Partial<Parameters<typeof repairs.createRepair>[0]> = {}) =>
  repairs.createRepair({
    tenantId: t.tenantId,
    reporterId: t.customer.id,
    groupId: t.frontDesk.id,
    unit: '3-2-501',
    description: '厨房水管漏水',
    priority: 'urgent',
    contactName: '王先生',
    contactPhone: '13800138000',
    ...extra,
  })

describe('creating a repair', () => {
  it('sets the urgent deadlines and the reminder rows, and announces it to maintenance', async () => {
    const result = await urgentLeak(team)
    const { ticket } = result
    expect(ticket.number).toBe(1001)
    expect(ticket.category).toBe('水')
    expect(ticket.status).toBe('open')
    expect(ticket.respondBy?.toISOString()).toBe(new Date(mondayMorning.getTime() + minutes(15)).toISOString())
    expect(ticket.resolveBy?.toISOString()).toBe(new Date(mondayMorning.getTime() + hours(4)).toISOString())

    const offsets = result.reminders.scheduled.map((r) => [r.kind, (r.dueAt.getTime() - mondayMorning.getTime()) / 60_000])
    expect(offsets).toEqual([
      ['repair.unassigned_alert', 5],
      ['repair.assignee_reminder', 10],
      ['repair.onsite_escalation', 15],
      ['repair.resolve_warning', 192],
      ['repair.resolve_breach', 240],
    ])
    const rows = await prisma.reminder.findMany({ where: { subjectId: ticket.id } })
    expect(rows).toHaveLength(5)
    expect(rows.every((r) => r.status === 'pending' && r.subjectType === 'ticket' && r.tenantId === team.tenantId)).toBe(true)

    expect(result.notifications).toHaveLength(1)
    const [announcement] = result.notifications
    expect(announcement.target).toEqual({ kind: 'purpose', purpose: 'maintenance' })
    expect(announcement.reply.heading).toContain('#1001')
    expect(announcement.reply.mentions.map((m) => m.name).sort()).toEqual([team.tech1.name, team.tech2.name].sort())
    const text = announcement.reply.lines.join('\n')
    expect(text).toContain('138****8000')
    expect(text).not.toContain('13800138000')

    const { timeline } = await repairs.show({ tenantId: team.tenantId, number: 1001 })
    expect(timeline.map((e) => e.type)).toEqual(['created'])
    expect(timeline[0].actorName).toBe(team.customer.name)
  })

  it('runs appointment clocks from the appointment time', async () => {
    const appointmentAt = new Date(mondayMorning.getTime() + hours(4))
    const { ticket, reminders } = await repairs.createRepair({
      tenantId: team.tenantId,
      reporterId: team.agent.id,
      unit: '5-1-302',
      description: '客厅灯不亮',
      appointmentAt,
    })
    expect(ticket.priority).toBe('normal')
    expect(ticket.category).toBe('电')
    expect(ticket.respondBy?.getTime()).toBe(appointmentAt.getTime() + minutes(15))
    expect(ticket.resolveBy?.getTime()).toBe(appointmentAt.getTime() + hours(48))
    expect(reminders.scheduled.map((r) => [r.kind, r.dueAt.getTime() - appointmentAt.getTime()])).toEqual([
      ['repair.appointment_reminder', -minutes(30)],
      ['repair.appointment_escalation', minutes(15)],
      ['repair.resolve_warning', minutes(48 * 48)], // 80% of 48 h
      ['repair.resolve_breach', hours(48)],
    ])
  })

  it('hands out distinct numbers under concurrency', async () => {
    const created = await Promise.all(
      Array.from({ length: 5 }, (_, i) => urgentLeak(team, { unit: `9-9-${i}`, priority: 'normal' })),
    )
    expect(created.map((r) => r.ticket.number).sort()).toEqual([1001, 1002, 1003, 1004, 1005])
  })

  it('refuses an appointment in the past', async () => {
    await expectDomainError(
      urgentLeak(team, { appointmentAt: new Date(mondayMorning.getTime() - minutes(1)) }),
      BadInput,
      'ticket.appointment_in_past',
    )
  })
})

describe('repeat repairs', () => {
  const leakAt = async (at: Date, extra: Partial<Parameters<typeof repairs.createRepair>[0]> = {}) => {
    env.clock.set(at)
    return urgentLeak(team, { priority: 'normal', ...extra })
  }
  const daysBefore = (n: number) => new Date(mondayMorning.getTime() - n * 24 * hours(1))

  it('flags the third repair of the same unit and category within 90 days', async () => {
    await leakAt(daysBefore(100)) // outside the window
    await leakAt(daysBefore(60))
    const second = await leakAt(daysBefore(1))
    expect(second.repeatCount).toBe(2)
    expect(second.ticket.repeatFlag).toBe(false)

    const third = await leakAt(mondayMorning, { unit: '３－２－５０１' })
    expect(third.repeatCount).toBe(3)
    expect(third.ticket.repeatFlag).toBe(true)
    const report = third.notifications.find((n) => n.target.kind === 'purpose' && n.target.purpose === 'management')
    expect(report?.reply.heading).toContain('重复报修')
    expect(report?.reply.mentions.map((m) => m.userId)).toEqual([team.supervisor.externalUserId])
  })

  it('does not flag another category or repairs older than the window', async () => {
    await leakAt(daysBefore(95))
    await leakAt(daysBefore(91))
    const old = await leakAt(mondayMorning)
    expect(old.repeatCount).toBe(1)
    expect(old.ticket.repeatFlag).toBe(false)

    await leakAt(daysBefore(3), { description: '插座跳闸' })
    await leakAt(daysBefore(2), { description: '插座跳闸' })
    const other = await leakAt(mondayMorning, { description: '门锁坏了' })
    expect(other.ticket.category).toBe('门窗')
    expect(other.ticket.repeatFlag).toBe(false)
    expect(other.notifications).toHaveLength(1)
  })
})

describe('lifecycle', () => {
  it('goes create → assign → arrive → complete → follow-up with a timeline', async () => {
    const { ticket } = await urgentLeak(team)
    env.clock.advance(minutes(3))
    const assigned = await repairs.assign({ tenantId: team.tenantId, number: ticket.number, actorId: team.agent.id, assigneeId: team.tech1.id })
    expect(assigned.ticket.status).toBe('assigned')
    expect(assigned.ticket.assigneeId).toBe(team.tech1.id)
    expect(assigned.reminders.cancelled).toHaveLength(1) // the unassigned alert
    expect(assigned.notifications[0].reply.mentions).toEqual([{ userId: team.tech1.externalUserId, name: team.tech1.name }])

    env.clock.advance(minutes(9))
    const arrived = await repairs.arrive({ tenantId: team.tenantId, number: ticket.number, actorId: team.tech1.id })
    expect(arrived.ticket.status).toBe('on_site')

    env.clock.advance(minutes(40))
    const done = await repairs.complete({ tenantId: team.tenantId, number: ticket.number, actorId: team.tech1.id, workDone: '更换水管接头', feeCents: 3000 })
    expect(done.ticket.status).toBe('done')
    expect(done.ticket.feeCents).toBe(3000)
    expect(done.followUps.map((f) => f.kind)).toEqual(['repair_callback'])
    expect(done.followUps[0].assigneeId).toBe(team.agent.id)
    expect(done.notifications[0].target).toEqual({ kind: 'group', groupId: team.frontDesk.id })
    expect(await pendingKinds(ticket.id)).toEqual([])

    env.clock.advance(hours(1))
    const followUp = await repairs.recordFollowUp({
      tenantId: team.tenantId,
      number: ticket.number,
      actorId: team.agent.id,
      outcome: 'satisfied',
      rating: 5,
      comment: '师傅很专业',
    })
    expect(followUp.reopened).toBe(false)
    expect(followUp.followUp).toMatchObject({ status: 'done', outcome: 'satisfied', rating: 5, doneById: team.agent.id })

    await repairs.addNote({ tenantId: team.tenantId, number: ticket.number, actorId: team.supervisor.id, text: '已核对费用' })
    const { timeline, ticket: shown, followUps } = await repairs.show({ tenantId: team.tenantId, number: ticket.number })
    expect(timeline.map((e) => e.type)).toEqual(['created', 'assigned', 'arrived', 'completed', 'followup_recorded', 'note'])
    expect(timeline.map((e) => e.actorName)).toEqual([team.customer.name, team.agent.name, team.tech1.name, team.tech1.name, team.agent.name, team.supervisor.name])
    expect(timeline[3].data).toMatchObject({ workDone: '更换水管接头', feeCents: 3000 })
    expect(shown.assignee?.name).toBe(team.tech1.name)
    expect(followUps).toHaveLength(1)
  })

  it('cancels the on-site escalation when the technician arrives in time', async () => {
    const { ticket } = await urgentLeak(team)
    await repairs.claim({ tenantId: team.tenantId, number: ticket.number, actorId: team.tech2.id })
    env.clock.advance(minutes(8))
    const arrived = await repairs.arrive({ tenantId: team.tenantId, number: ticket.number, actorId: team.tech2.id })
    const cancelled = await prisma.reminder.findMany({ where: { id: { in: arrived.reminders.cancelled } } })
    expect(cancelled.map((r) => r.kind).sort()).toEqual(['repair.assignee_reminder', 'repair.onsite_escalation'])
    expect(cancelled.every((r) => r.status === 'cancelled')).toBe(true)
    expect(await pendingKinds(ticket.id)).toEqual(['repair.resolve_warning', 'repair.resolve_breach'])
    const { timeline } = await repairs.show({ tenantId: team.tenantId, number: ticket.number })
    expect(timeline.find((e) => e.type === 'arrived')?.data).toEqual({ late: false })
  })

  it('cancels every pending reminder when the ticket is cancelled', async () => {
    const { ticket } = await urgentLeak(team)
    const result = await repairs.cancel({ tenantId: team.tenantId, number: ticket.number, actorId: team.agent.id, reason: '业主自行修好' })
    expect(result.ticket.status).toBe('cancelled')
    expect(result.ticket.cancelReason).toBe('业主自行修好')
    expect(result.reminders.cancelled).toHaveLength(5)
    expect(await pendingKinds(ticket.id)).toEqual([])
  })

  it('refuses illegal transitions with a Conflict code', async () => {
    const { ticket } = await urgentLeak(team)
    const ref = { tenantId: team.tenantId, number: ticket.number }
    await expectDomainError(repairs.arrive({ ...ref, actorId: team.agent.id }), Conflict, 'ticket.cannot_arrive_open')
    await expectDomainError(repairs.reopen({ ...ref, actorId: team.agent.id, reason: 'x' }), Conflict, 'ticket.cannot_reopen_open')
    await repairs.claim({ ...ref, actorId: team.tech1.id })
    await expectDomainError(repairs.claim({ ...ref, actorId: team.tech2.id }), Conflict, 'ticket.already_assigned')
    await repairs.cancel({ ...ref, actorId: team.agent.id, reason: '重复报修' })
    await expectDomainError(repairs.complete({ ...ref, actorId: team.agent.id, workDone: '修好了' }), Conflict, 'ticket.cannot_complete_cancelled')
    await expectDomainError(repairs.assign({ ...ref, actorId: team.agent.id, assigneeId: team.tech2.id }), Conflict, 'ticket.cannot_assign_cancelled')
    const error = await repairs.cancel({ ...ref, actorId: team.agent.id, reason: 'again' }).catch((e: unknown) => e)
    expect(isDomainError(error) && error.params).toEqual({ number: ticket.number, action: 'cancel', status: 'cancelled' })

    const reopened = await repairs.reopen({ ...ref, actorId: team.agent.id, reason: '其实没修好' })
    expect(reopened.ticket).toMatchObject({ status: 'open', assigneeId: null, cancelReason: null })
    expect(reopened.reminders.scheduled.map((r) => r.kind)).toContain('repair.onsite_escalation')
  })

  it('keeps ownership rules: customers cannot assign, technicians cancel only their own', async () => {
    const { ticket } = await urgentLeak(team)
    const ref = { tenantId: team.tenantId, number: ticket.number }
    await expectDomainError(repairs.assign({ ...ref, actorId: team.customer.id, assigneeId: team.tech1.id }), Forbidden, 'ticket.customer_cannot_assign')
    await expectDomainError(repairs.assign({ ...ref, actorId: team.agent.id, assigneeId: team.customer.id }), BadInput, 'member.not_staff')
    await repairs.assign({ ...ref, actorId: team.agent.id, assigneeId: team.tech1.id })
    await expectDomainError(repairs.cancel({ ...ref, actorId: team.tech2.id, reason: '不是我的' }), Forbidden, 'ticket.not_yours')
    await expectDomainError(repairs.arrive({ ...ref, actorId: team.tech2.id }), Forbidden, 'ticket.not_yours')
    const cancelled = await repairs.cancel({ ...ref, actorId: team.tech1.id, reason: '业主不在家' })
    expect(cancelled.ticket.status).toBe('cancelled')
  })
})

describe('categories on tickets', () => {
  it('can be corrected later, on the timeline', async () => {
    const { ticket } = await urgentLeak(team, { description: '阳台渗水' })
    const ref = { tenantId: team.tenantId, number: ticket.number }
    await expectDomainError(repairs.recategorize({ ...ref, actorId: team.customer.id, category: '工程' }), Forbidden, 'ticket.not_yours')
    const changed = await repairs.recategorize({ ...ref, actorId: team.agent.id, category: '工程' })
    expect(changed.ticket.category).toBe('工程')
    const { timeline } = await repairs.show(ref)
    expect(timeline.at(-1)).toMatchObject({ type: 'category_changed', data: { from: ticket.category, to: '工程' } })
  })
})

describe('firing reminders', () => {
  const reminderOf = async (subjectId: string, kind: string) =>
    prisma.reminder.findFirstOrThrow({ where: { subjectId, kind } })

  it('sends exactly once when two workers fire the same reminder', async () => {
    const { ticket } = await urgentLeak(team)
    const alert = await reminderOf(ticket.id, 'repair.unassigned_alert')
    env.clock.advance(minutes(5))
    const results = await Promise.all([repairs.fireReminder(alert.id), repairs.fireReminder(alert.id), repairs.fireReminder(alert.id)])
    expect(results.map((r) => r.outcome).sort()).toEqual(['not_pending', 'not_pending', 'sent'])
    const notifications = results.flatMap((r) => r.notifications)
    expect(notifications).toHaveLength(1)
    expect(notifications[0]).toMatchObject({ key: `reminder:${alert.id}`, target: { kind: 'purpose', purpose: 'maintenance' } })
    expect(notifications[0].reply.mentions).toHaveLength(2)
    const row = await prisma.reminder.findUniqueOrThrow({ where: { id: alert.id } })
    expect(row).toMatchObject({ status: 'sent', attempts: 1 })
    expect(row.firedAt?.getTime()).toBe(env.clock.now().getTime())
    expect(row.recipients.sort()).toEqual([team.tech1.id, team.tech2.id].sort())
    expect((await repairs.fireReminder(alert.id)).notifications).toEqual([])
  })

  it('escalates to the supervisors in the management group when nobody arrives', async () => {
    const { ticket } = await urgentLeak(team)
    await repairs.assign({ tenantId: team.tenantId, number: ticket.number, actorId: team.agent.id, assigneeId: team.tech1.id })
    env.clock.advance(minutes(10))
    const reminder = await repairs.fireReminder((await reminderOf(ticket.id, 'repair.assignee_reminder')).id)
    expect(reminder.notifications[0].reply.mentions.map((m) => m.name)).toEqual([team.tech1.name])
    env.clock.advance(minutes(5))
    const escalation = await repairs.fireReminder((await reminderOf(ticket.id, 'repair.onsite_escalation')).id)
    expect(escalation.outcome).toBe('sent')
    expect(escalation.notifications[0].target).toEqual({ kind: 'purpose', purpose: 'management' })
    expect(escalation.notifications[0].reply.mentions.map((m) => m.name)).toEqual([team.supervisor.name])
    expect(escalation.notifications[0].reply.heading).toContain('升级')
    const { timeline } = await repairs.show({ tenantId: team.tenantId, number: ticket.number })
    expect(timeline.filter((e) => e.type === 'reminder_sent').map((e) => (e.data as { kind: string }).kind)).toEqual([
      'repair.assignee_reminder',
      'repair.onsite_escalation',
    ])
  })

  it('says nothing once the ticket has moved on', async () => {
    const { ticket } = await urgentLeak(team)
    const escalation = await reminderOf(ticket.id, 'repair.onsite_escalation')
    const warning = await reminderOf(ticket.id, 'repair.resolve_warning')
    await repairs.claim({ tenantId: team.tenantId, number: ticket.number, actorId: team.tech1.id })
    await repairs.arrive({ tenantId: team.tenantId, number: ticket.number, actorId: team.tech1.id })
    env.clock.advance(minutes(15))
    // A job whose row was cancelled when the technician arrived.
    expect(await repairs.fireReminder(escalation.id)).toMatchObject({ outcome: 'not_pending', notifications: [] })
    // A row still pending while the ticket was finished by a path that did not re-plan.
    await prisma.ticket.update({ where: { id: ticket.id }, data: { status: 'done' } })
    env.clock.advance(hours(4))
    const skipped = await repairs.fireReminder(warning.id)
    expect(skipped.outcome).toBe('skipped')
    expect(skipped.notifications).toEqual([])
    expect((await prisma.reminder.findUniqueOrThrow({ where: { id: warning.id } })).status).toBe('skipped')
  })

  it('leaves a reminder that is not yet due', async () => {
    const { ticket } = await urgentLeak(team)
    const breach = await reminderOf(ticket.id, 'repair.resolve_breach')
    expect((await repairs.fireReminder(breach.id)).outcome).toBe('not_due')
    expect((await prisma.reminder.findUniqueOrThrow({ where: { id: breach.id } })).status).toBe('pending')
  })
})

describe('follow-ups', () => {
  const completeAt = async (t: Team, at: Date, extra: Partial<Parameters<typeof repairs.createRepair>[0]> = {}) => {
    env.clock.set(new Date(at.getTime() - hours(1)))
    const { ticket } = await urgentLeak(t, { priority: 'normal', ...extra })
    await repairs.claim({ tenantId: t.tenantId, number: ticket.number, actorId: t.tech1.id })
    env.clock.set(at)
    return repairs.complete({ tenantId: t.tenantId, number: ticket.number, actorId: t.tech1.id, workDone: '已修复' })
  }

  it('owes a same-day call-back by close of business in Asia/Shanghai', async () => {
    const done = await completeAt(team, mondayMorning) // 10:00 local
    expect(done.followUps[0].dueBy.toISOString()).toBe('2026-11-23T09:30:00.000Z') // 17:30 local
  })

  it('moves the call-back to the next business day when finished after hours', async () => {
    const weekdays = await createTeam(prisma, { businessHours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' }, holidays: ['2026-11-30'] })
    // Friday 2026-11-27 19:30 local; Monday 11-30 is a holiday → Tuesday 18:00 local.
    const done = await completeAt(weekdays, new Date('2026-11-27T11:30:00Z'))
    expect(done.followUps[0].dueFrom.toISOString()).toBe('2026-11-27T11:30:00.000Z')
    expect(done.followUps[0].dueBy.toISOString()).toBe('2026-12-01T10:00:00.000Z')
    // Monday 19:00 local with the default every-day hours → Tuesday 17:30 local.
    const evening = await completeAt(team, new Date('2026-11-23T11:00:00Z'))
    expect(evening.followUps[0].dueBy.toISOString()).toBe('2026-11-24T09:30:00.000Z')
  })

  it('adds a quality follow-up one to two months after repair works', async () => {
    const done = await completeAt(team, mondayMorning, { description: '卫生间防水重做' })
    const quality = done.followUps.find((f) => f.kind === 'repair_quality')
    expect(quality?.dueFrom.toISOString()).toBe('2026-12-23T02:00:00.000Z')
    expect(quality?.dueBy.toISOString()).toBe('2027-01-23T02:00:00.000Z')
  })

  it('reopens the ticket and tells the supervisors when the customer is unsatisfied', async () => {
    const done = await completeAt(team, mondayMorning)
    env.clock.advance(hours(2))
    const result = await repairs.recordFollowUp({
      tenantId: team.tenantId,
      number: done.ticket.number,
      actorId: team.agent.id,
      outcome: 'unsatisfied',
      rating: 2,
      comment: '还在漏水',
    })
    expect(result.reopened).toBe(true)
    expect(result.ticket).toMatchObject({ status: 'open', assigneeId: null, completedAt: null })
    expect(result.reminders.scheduled.map((r) => r.kind)).toEqual(['repair.resolve_warning', 'repair.resolve_breach'])
    expect(result.notifications).toHaveLength(1)
    const [notice] = result.notifications
    expect(notice.target).toEqual({ kind: 'purpose', purpose: 'management' })
    expect(notice.reply.mentions).toEqual([{ userId: team.supervisor.externalUserId, name: team.supervisor.name }])
    expect(notice.reply.lines.join('\n')).toContain('还在漏水')
    const { timeline } = await repairs.show({ tenantId: team.tenantId, number: done.ticket.number })
    expect(timeline.slice(-2).map((e) => e.type)).toEqual(['followup_recorded', 'reopened'])
    await expectDomainError(
      repairs.recordFollowUp({ tenantId: team.tenantId, number: done.ticket.number, actorId: team.agent.id, outcome: 'satisfied', rating: 5 }),
      Conflict,
      'followup.none_open',
    )
  })

  it('flags overdue call-backs once', async () => {
    const done = await completeAt(team, mondayMorning)
    const first = await repairs.flagOverdueFollowUps(new Date('2026-11-23T09:31:00Z'))
    const mine = first.flagged.filter((f) => f.ticketId === done.ticket.id)
    expect(mine).toHaveLength(1)
    expect(mine[0].status).toBe('overdue')
    const notice = first.notifications.find((n) => n.key === `followup:${mine[0].id}:overdue`)
    expect(notice?.target).toEqual({ kind: 'purpose', purpose: 'front_desk' })
    expect(notice?.reply.mentions.map((m) => m.name)).toEqual([team.agent.name])
    const second = await repairs.flagOverdueFollowUps(new Date('2026-11-23T09:32:00Z'))
    expect(second.flagged.filter((f) => f.ticketId === done.ticket.id)).toEqual([])
    // Overdue call-backs can still be recorded late.
    const late = await repairs.recordFollowUp({ tenantId: team.tenantId, number: done.ticket.number, actorId: team.agent.id, outcome: 'satisfied', rating: 4 })
    expect(late.followUp.status).toBe('done')
  })
})

describe('tenant isolation', () => {
  it('never shows, lists or changes another tenant’s ticket', async () => {
    const other = await createTeam(prisma)
    const mine = await urgentLeak(team)
    expect(mine.ticket.number).toBe(1001)
    const ref = { tenantId: other.tenantId, number: 1001 }
    await expectDomainError(repairs.show(ref), NotFound, 'ticket.not_found')
    await expectDomainError(repairs.assign({ ...ref, actorId: other.agent.id, assigneeId: other.tech1.id }), NotFound, 'ticket.not_found')
    expect(await repairs.listOpen({ tenantId: other.tenantId })).toEqual([])
    // Cross-tenant member ids are unknown too.
    await expectDomainError(
      repairs.assign({ tenantId: team.tenantId, number: 1001, actorId: team.agent.id, assigneeId: other.tech1.id }),
      NotFound,
      'member.not_found',
    )
    await expectDomainError(urgentLeak(other, { groupId: team.frontDesk.id }), NotFound, 'group.not_found')

    const theirs = await urgentLeak(other, { unit: '8-8-808' })
    expect(theirs.ticket.number).toBe(1001)
    expect((await repairs.show({ tenantId: other.tenantId, number: 1001 })).ticket.unit).toBe('8-8-808')
    expect((await repairs.listOpen({ tenantId: team.tenantId })).map((t) => t.id)).toEqual([mine.ticket.id])
  })

  it('lists open repairs by status and assignee', async () => {
    const a = await urgentLeak(team)
    const b = await urgentLeak(team, { unit: '1-1-101' })
    await repairs.claim({ tenantId: team.tenantId, number: b.ticket.number, actorId: team.tech1.id })
    expect((await repairs.listOpen({ tenantId: team.tenantId, status: 'open' })).map((t) => t.number)).toEqual([a.ticket.number])
    const byTech = await repairs.listOpen({ tenantId: team.tenantId, assigneeId: team.tech1.id })
    expect(byTech.map((t) => [t.number, t.assignee?.name])).toEqual([[b.ticket.number, team.tech1.name]])
  })
})
