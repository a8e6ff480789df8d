import { describe, expect, it } from 'vitest'
import { dailyFigures, periodFigures, trend } from '../../src/domain/reports/index.ts'
import { summaryReply } from '../../src/domain/reports/summary-reply.ts'
import { setupTestEnv } from '../support/harness.ts'

const env = await setupTestEnv()
const prisma = env.ctx.prisma
const tenant = await prisma.tenant.create({ data: { name: '报表物业' } })
const other = await prisma.tenant.create({ data: { name: '别家物业' } })
const zhang = await prisma.member.create({ data: { tenantId: tenant.id, platform: 'console', externalUserId: 'zhang', name: '张师傅', roles: ['technician'] } })
const li = await prisma.member.create({ data: { tenantId: tenant.id, platform: 'console', externalUserId: 'li', name: '李师傅', roles: ['technician'] } })
const desk = await prisma.member.create({ data: { tenantId: tenant.id, platform: 'console', externalUserId: 'desk', name: '前台小王', roles: ['agent'] } })
const room = await prisma.resource.create({ data: { tenantId: tenant.id, name: '会议室A', capacity: 50 } })

// Local times in Asia/Shanghai (UTC+8): the week of Monday 2030-03-04 to Sunday 2030-03-10.
const at = (local: string) => new Date(`${local}:00+08:00`)
let number = 3000
type TicketSeed = Partial<Parameters<typeof prisma.ticket.create>[0]['data']> & { kind: 'repair' | 'complaint'; createdAt: Date }
const ticket = (tenantId: string, data: TicketSeed) => prisma.ticket.create({ data: { tenantId, number: number++, description: '—', contactName: '王业主', contactPhone: '13800138000', ...data } as never })

// Tuesday 03-05: 2 repairs (one done the same day), 1 complaint.
await ticket(tenant.id, { kind: 'repair', status: 'done', createdAt: at('2030-03-05T09:00'), assigneeId: zhang.id, arrivedAt: at('2030-03-05T09:10'), completedAt: at('2030-03-05T11:00') })
await ticket(tenant.id, { kind: 'repair', status: 'assigned', createdAt: at('2030-03-05T15:00'), assigneeId: li.id, resolveBy: at('2030-03-06T12:00') })
await ticket(tenant.id, { kind: 'complaint', status: 'open', createdAt: at('2030-03-05T10:00') })
// Wednesday 03-06: 3 repairs (one a repeat, one cancelled, two arrivals: 8 and 20 minutes), 2 complaints (one major and late).
await ticket(tenant.id, { kind: 'repair', status: 'done', createdAt: at('2030-03-06T08:00'), assigneeId: zhang.id, arrivedAt: at('2030-03-06T08:08'), completedAt: at('2030-03-06T09:00') })
await ticket(tenant.id, { kind: 'repair', status: 'on_site', createdAt: at('2030-03-06T10:00'), assigneeId: zhang.id, arrivedAt: at('2030-03-06T10:20'), repeatFlag: true })
await ticket(tenant.id, { kind: 'repair', status: 'cancelled', createdAt: at('2030-03-06T11:00'), cancelledAt: at('2030-03-06T11:30') })
await ticket(tenant.id, { kind: 'complaint', status: 'done', createdAt: at('2030-03-06T09:00'), completedAt: at('2030-03-06T16:00'), major: true, recordedLate: true })
await ticket(tenant.id, { kind: 'complaint', status: 'open', createdAt: at('2030-03-06T13:00') })
// Friday 03-08: the Tuesday complaint is handled.
await prisma.ticket.updateMany({ where: { tenantId: tenant.id, kind: 'complaint', createdAt: at('2030-03-05T10:00') }, data: { status: 'done', completedAt: at('2030-03-08T10:00') } })
// Another tenant's busy day is never counted.
for (let i = 0; i < 3; i++) await ticket(other.id, { kind: 'repair', createdAt: at('2030-03-06T09:00') })

// Bookings: 2 on Wednesday (one cancelled by the desk), 1 on Thursday.
const booking = (startsAt: Date, extra: object = {}) =>
  prisma.booking.create({ data: { tenantId: tenant.id, number: number++, resourceId: room.id, customerName: '赵女士', startsAt, endsAt: new Date(startsAt.getTime() + 3600_000), holdFrom: startsAt, holdUntil: new Date(startsAt.getTime() + 3600_000), lane: number % 50, createdById: desk.id, ...extra } })
await booking(at('2030-03-06T14:00'), { status: 'confirmed' })
await booking(at('2030-03-06T16:00'), { status: 'cancelled', cancelledAt: at('2030-03-06T12:00'), cancelledById: desk.id, cancelReason: '改期' })
await booking(at('2030-03-07T10:00'))

// Follow-ups: due Wednesday, one done satisfied (rating 5), one still pending (overdue at day's end).
const repairs = await prisma.ticket.findMany({ where: { tenantId: tenant.id, kind: 'repair', status: 'done' }, orderBy: { createdAt: 'asc' } })
await prisma.followUp.create({ data: { tenantId: tenant.id, ticketId: repairs[0].id, kind: 'repair_callback', status: 'done', outcome: 'satisfied', rating: 5, dueFrom: at('2030-03-06T09:00'), dueBy: at('2030-03-06T17:30'), doneAt: at('2030-03-06T15:00') } })
await prisma.followUp.create({ data: { tenantId: tenant.id, ticketId: repairs[1].id, kind: 'repair_callback', status: 'overdue', dueFrom: at('2030-03-06T09:00'), dueBy: at('2030-03-06T17:30') } })

// A breach and an escalation fired on Wednesday; a dead letter.
await prisma.reminder.createMany({ data: [
  { tenantId: tenant.id, kind: 'repair.resolve_breach', subjectType: 'ticket', subjectId: repairs[0].id, dueAt: at('2030-03-06T12:00'), status: 'sent' },
  { tenantId: tenant.id, kind: 'repair.onsite_escalation', subjectType: 'ticket', subjectId: repairs[1].id, dueAt: at('2030-03-06T10:15'), status: 'sent' },
  { tenantId: tenant.id, kind: 'repair.onsite_escalation', subjectType: 'ticket', subjectId: repairs[1].id, dueAt: at('2030-03-06T11:15'), status: 'cancelled' },
] })
const group = await prisma.chatGroup.create({ data: { tenantId: tenant.id, platform: 'console', externalId: 'mgmt', name: '管理群', purpose: 'management' } })
await prisma.outgoingMessage.create({ data: { tenantId: tenant.id, platform: 'console', groupId: group.id, destination: group.id, payload: {}, idempotencyKey: 'dead-1', status: 'dead', deadLetter: true, lastError: 'call 13800138000 failed', createdAt: at('2030-03-06T09:00'), updatedAt: at('2030-03-06T09:20') } })

describe('report figures from a seeded week', () => {
  it('the front desk daily figures match a hand count, each with the day before', async () => {
    const f = await dailyFigures(prisma, { tenantId: tenant.id, date: '2030-03-06', scope: 'front_desk' })
    expect(f.period).toMatchObject({ kind: 'day', from: at('2030-03-06T00:00'), to: at('2030-03-07T00:00') })
    // Repairs: 3 new Wednesday (2 Tuesday); 1 done (1); open at the end: Tuesday's assigned one and Wednesday's on-site one (Tuesday: 1).
    expect(f.work!.repairs).toEqual({ created: { value: 3, previous: 2 }, handled: { value: 1, previous: 1 }, open: { value: 2, previous: 1 } })
    // Complaints: 2 new (1); 1 handled (0); open: Tuesday's (handled Friday) and Wednesday's second one (Tuesday: 1).
    expect(f.work!.complaints).toEqual({ created: { value: 2, previous: 1 }, handled: { value: 1, previous: 0 }, open: { value: 2, previous: 1 } })
    expect(f.work!.bookings).toEqual({ current: { value: 1, previous: 0 }, next: { value: 1, previous: 1 } })
    expect(f.work!.followUps).toEqual({ due: { value: 2, previous: 0 }, done: { value: 1, previous: 0 }, overdue: { value: 1, previous: 0 } })
    expect(f.work!.lateComplaints).toEqual({ value: 1, previous: 0 })
    expect(f.maintenance).toBeUndefined()
  })

  it('the maintenance figures: per technician, overdue, time to arrive against 15 minutes, repeats', async () => {
    const f = await dailyFigures(prisma, { tenantId: tenant.id, date: '2030-03-06', scope: 'maintenance' })
    expect(f.maintenance!.technicians).toHaveLength(2)
    expect(f.maintenance!.technicians).toEqual(expect.arrayContaining([
      { memberId: li.id, name: '李师傅', open: 1, done: 0 },
      { memberId: zhang.id, name: '张师傅', open: 1, done: 1 },
    ]))
    // Li's repair was due 12:00 Wednesday and is not done.
    expect(f.maintenance!.overdue).toEqual({ value: 1, previous: 0 })
    expect(f.maintenance!.arrival).toEqual({ count: 2, medianMinutes: 14, slowestMinutes: 20, limitMinutes: 15, overLimit: 1 })
    expect(f.maintenance!.repeatRepairs).toEqual({ value: 1, previous: 0 })
  })

  it('the management figures: breaches, escalations, coverage, staff bookings and every dead letter, phones masked', async () => {
    const f = await dailyFigures(prisma, { tenantId: tenant.id, date: '2030-03-06', scope: 'management' })
    const m = f.management!
    expect(m.breaches).toEqual({ value: 1, previous: 0 })
    expect(m.escalations).toEqual({ value: 1, previous: 0 })
    expect(m.majorComplaints.value).toBe(1)
    expect(m.coverage.find((c) => c.group === 'repair')).toMatchObject({ owed: 2, reached: 1, rate: 0.5, met: false })
    expect(m.satisfaction).toEqual({ reached: 1, satisfied: 1, averageRating: 5 })
    expect(m.staffBookings).toEqual([{ memberId: desk.id, name: '前台小王', cancellations: 1, noShows: 0 }])
    expect(m.deadLetters.count.value).toBe(1)
    const reply = summaryReply(f, 'zh')
    const text = [reply.heading, ...reply.lines].join('\n')
    expect(text).toContain('管理日报 2030-03-06')
    expect(text).toContain('未送达消息')
    expect(text).not.toContain('13800138000')
    expect(text).not.toContain('王业主')
  })

  it('the weekly and monthly reports add up the days', async () => {
    const week = await periodFigures(prisma, { tenantId: tenant.id, from: '2030-03-04', to: '2030-03-10', scope: 'front_desk' })
    expect(week.period.kind).toBe('week')
    expect(week.work!.repairs.created).toEqual({ value: 5, previous: 0 })
    expect(week.work!.complaints.handled).toEqual({ value: 2, previous: 0 })
    expect(week.work!.bookings.current.value).toBe(2)
    const month = await periodFigures(prisma, { tenantId: tenant.id, from: '2030-03-01', to: '2030-03-31', scope: 'customer_service' })
    expect(month.work!.repairs).toMatchObject({ created: { value: 5, previous: 0 }, handled: { value: 2, previous: 0 } })
    const text = summaryReply(month, 'en').lines.join('\n')
    expect(text).toContain('Repairs')
    // Counts only in customer service groups: no follow-up or late-recording lines.
    expect(text).not.toContain('Follow-ups')
  })

  it('the 7-day trend counts per local date', async () => {
    const t = await trend(prisma, { tenantId: tenant.id, days: 7, until: '2030-03-10' })
    expect(t.dates).toEqual(['2030-03-04', '2030-03-05', '2030-03-06', '2030-03-07', '2030-03-08', '2030-03-09', '2030-03-10'])
    expect(t.series.find((s) => s.key === 'repairsCreated')!.values).toEqual([0, 2, 3, 0, 0, 0, 0])
    expect(t.series.find((s) => s.key === 'complaintsHandled')!.values).toEqual([0, 0, 1, 0, 1, 0, 0])
    expect(t.series.find((s) => s.key === 'bookings')!.values).toEqual([0, 0, 1, 1, 0, 0, 0])
  })
})
