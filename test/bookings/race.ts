import { describe, expect, it } from 'vitest'
import { SlotTaken } from '../../src/domain/bookings/index.ts'
import { consoleGroup } from '../support/conversation.ts'
import { startDemoWorld } from '../support/demo.ts'
import type { TestEnv } from '../support/harness.ts'

/**
 * Twenty requests for one slot at once, through the console (twenty members posting together)
 * and straight at the domain (Promise.all): the exclusion constraint lets exactly capacity-many
 * in, and every other requester hears what holds the slot and what is free instead.
 */
export function describeBookingRace(env: TestEnv, database: string) {
  describe(`twenty requests for one slot on ${database}`, async () => {
    const world = await startDemoWorld(env)
    const prisma = env.ctx.prisma
    const tenantId = world.demo.tenantId
    const desk = consoleGroup(env, world.group('front_desk'))
    const members = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        prisma.member.create({ data: { tenantId, platform: 'console', externalUserId: `racer-${i}`, name: `前台${i + 1}号`, roles: ['agent'] } }),
      ),
    )
    const resource = (name: string) => prisma.resource.findFirstOrThrow({ where: { tenantId, name } })

    it('through the console: one booking of 会议室A, nineteen polite refusals with free ranges and the waitlist', async () => {
      const replies = await Promise.all(members.map((m, i) => desk.say(m.id, `预约 会议室A 明天下午2点到4点 客人${i + 1} 1380013${String(8000 + i)}`)))
      const booked = replies.filter((r) => /已登记预约#\d+/.test(r))
      const refused = replies.filter((r) => r.includes('预约未成功'))
      expect(booked).toHaveLength(1)
      expect(refused).toHaveLength(19)
      const holder = /预约#(\d+)/.exec(booked[0])![1]
      for (const r of refused) {
        expect(r).toContain(`预约#${holder}`)
        expect(r).toMatch(/最近的空闲时段：/)
        expect(r).toContain('排队')
      }
      const room = await resource('会议室A')
      expect(await prisma.booking.count({ where: { resourceId: room.id, status: { in: ['unconfirmed', 'confirmed'] } } })).toBe(1)
    })

    it('at the domain function: the database lets capacity-many in (1 for 羽毛球场1号, 2 for 保洁)', async () => {
      for (const { name, capacity, startsAt, endsAt } of [
        { name: '羽毛球场1号', capacity: 1, startsAt: new Date('2026-11-25T02:00:00Z'), endsAt: new Date('2026-11-25T03:00:00Z') },
        { name: '保洁', capacity: 2, startsAt: new Date('2026-11-25T01:00:00Z'), endsAt: new Date('2026-11-25T04:00:00Z') },
      ]) {
        const r = await resource(name)
        const results = await Promise.allSettled(
          members.map((m, i) => world.services.bookings.create({ tenantId, createdById: m.id, resourceId: r.id, startsAt, endsAt, customerName: `客人${i + 1}` })),
        )
        const won = results.filter((x) => x.status === 'fulfilled')
        const lost = results.filter((x): x is PromiseRejectedResult => x.status === 'rejected')
        expect(won).toHaveLength(capacity)
        expect(lost).toHaveLength(20 - capacity)
        for (const x of lost) {
          expect(x.reason).toBeInstanceOf(SlotTaken)
          expect((x.reason as SlotTaken).holders).toHaveLength(capacity)
        }
        const rows = await prisma.booking.findMany({ where: { resourceId: r.id, startsAt } })
        expect(rows).toHaveLength(capacity)
        expect(new Set(rows.map((b) => b.lane)).size).toBe(capacity)
      }
      // Refused requests left no number behind: the next booking takes the next number in line.
      const numbers = (await prisma.booking.findMany({ where: { tenantId }, select: { number: true }, orderBy: { number: 'asc' } })).map((b) => b.number)
      expect(numbers).toEqual(numbers.map((_, i) => i + 1))
    })
  })
}
