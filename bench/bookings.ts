// Booking writes at the domain function (createBookingService().create) on the shared PostgreSQL
// in a schema of its own, 20 requests in flight: one resource booked slot after slot (none
// conflict), then every request for the same slot (the exclusion constraint refuses all but the
// capacity). No chat, no Redis: what the database and the booking transaction cost.
import { systemClock } from '../src/clock.ts'
import { openDatabase, type Database } from '../src/db/database.ts'
import { migrateOnStart } from '../src/db/migrate-on-start.ts'
import { createBookingService, SlotTaken } from '../src/domain/bookings/index.ts'
import { uniqueName } from '../test/support/services.ts'
import { dropBenchSchema } from './cleanup.ts'
import type { BenchPart, BenchRow } from './table.ts'

const CONCURRENCY = 20
const SLOT_MINUTES = 30
/** 00:00–23:30 UTC: 47 half-hour slots a day. */
const SLOTS_PER_DAY = 47
const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

type Outcome = 'booked' | 'refused'

/** Runs `count` requests with `CONCURRENCY` in flight; returns the outcomes and the elapsed seconds. */
async function drive(count: number, request: (index: number) => Promise<Outcome>): Promise<{ outcomes: Outcome[]; seconds: number }> {
  const outcomes: Outcome[] = []
  let next = 0
  const started = process.hrtime.bigint()
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) outcomes.push(await request(next++))
    }),
  )
  return { outcomes, seconds: Number(process.hrtime.bigint() - started) / 1e9 }
}

export const bookingsBench: BenchPart = async ({ databaseUrl, full }) => {
  const requests = full ? 4000 : 600
  const schema = uniqueName('bench_bookings')
  let db: Database | undefined
  try {
    db = await openDatabase({ url: databaseUrl, schema })
    await migrateOnStart(db)
    const prisma = db.prisma
    const tenant = await prisma.tenant.create({ data: { name: '预约压测物业', timeZone: 'UTC' } })
    const desk = await prisma.member.create({ data: { tenantId: tenant.id, platform: 'console', externalUserId: 'bench-desk', name: '前台', roles: ['agent'] } })
    const resource = await prisma.resource.create({
      data: { tenantId: tenant.id, name: '会议室A', capacity: 1, opensAt: '00:00', closesAt: '23:30', slotMinutes: SLOT_MINUTES, defaultMinutes: SLOT_MINUTES, maxAdvanceDays: 730 },
    })
    const bookings = createBookingService({ prisma, clock: systemClock })
    const firstDay = Math.floor(Date.now() / DAY) * DAY + DAY
    const slot = (index: number) => {
      const startsAt = new Date(firstDay + Math.floor(index / SLOTS_PER_DAY) * DAY + (index % SLOTS_PER_DAY) * SLOT_MINUTES * MINUTE)
      return { startsAt, endsAt: new Date(startsAt.getTime() + SLOT_MINUTES * MINUTE) }
    }
    const book = async (range: { startsAt: Date; endsAt: Date }, index: number): Promise<Outcome> => {
      try {
        await bookings.create({ tenantId: tenant.id, createdById: desk.id, resourceId: resource.id, ...range, customerName: `客人${index}`, customerPhone: '13800138000' })
        return 'booked'
      } catch (error) {
        if (error instanceof SlotTaken) return 'refused'
        throw error
      }
    }

    // Warm-up on slots of their own (connections, prepared statements), then each phase on its own days.
    await drive(CONCURRENCY * 2, (i) => book(slot(i), i))
    const distinctFrom = CONCURRENCY * 2
    const distinct = await drive(requests, (i) => book(slot(distinctFrom + i), i))
    const contested = slot(distinctFrom + requests + SLOTS_PER_DAY)
    const sameSlot = await drive(requests, (i) => book(contested, i))

    const count = (outcomes: Outcome[], outcome: Outcome) => outcomes.filter((o) => o === outcome).length
    const distinctRate = requests / distinct.seconds
    const sameSlotRate = requests / sameSlot.seconds
    const heldContested = await prisma.booking.count({ where: { resourceId: resource.id, startsAt: contested.startsAt, status: { in: ['unconfirmed', 'confirmed', 'checked_in'] } } })
    const rows: BenchRow[] = [
      { measure: `bookings/s, distinct slots of one resource (${requests} requests, ${CONCURRENCY} in flight)`, value: distinctRate.toFixed(0) },
      { measure: `booking requests/s, all for one slot (${requests} requests, ${CONCURRENCY} in flight)`, value: sameSlotRate.toFixed(0) },
      { measure: 'same-slot vs distinct-slot throughput', value: `${(sameSlotRate / distinctRate).toFixed(2)}×` },
      {
        measure: 'distinct slots booked',
        value: `${count(distinct.outcomes, 'booked')} of ${requests}`,
        target: 'all',
        met: count(distinct.outcomes, 'booked') === requests,
      },
      {
        measure: 'one slot, capacity 1: booked / refused (SlotTaken) / held in the database',
        value: `${count(sameSlot.outcomes, 'booked')} / ${count(sameSlot.outcomes, 'refused')} / ${heldContested}`,
        target: `1 / ${requests - 1} / 1`,
        met: count(sameSlot.outcomes, 'booked') === 1 && count(sameSlot.outcomes, 'refused') === requests - 1 && heldContested === 1,
      },
    ]
    return rows
  } finally {
    await db?.close()
    await dropBenchSchema(databaseUrl, schema)
  }
}
