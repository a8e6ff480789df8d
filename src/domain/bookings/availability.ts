import type { Resource } from '../../generated/prisma/client.ts'
import { holdOf, openingOn } from './rules.ts'
import { holdingStatuses, type FreeRange, type Tx } from './types.ts'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

interface Hold {
  lane: number
  holdFrom: Date
  holdUntil: Date
}

async function holdsBetween(tx: Pick<Tx, 'booking'>, resource: Resource, from: Date, until: Date): Promise<Hold[]> {
  return tx.booking.findMany({
    where: { resourceId: resource.id, status: { in: [...holdingStatuses] }, holdFrom: { lt: until }, holdUntil: { gt: from } },
    select: { lane: true, holdFrom: true, holdUntil: true },
  })
}

/** Whether some lane could take the booking's hold (the same test the insert's constraint makes). */
function fits(resource: Resource, holds: Hold[], startsAt: Date, endsAt: Date): boolean {
  const { holdFrom, holdUntil } = holdOf(resource, startsAt, endsAt)
  for (let lane = 0; lane < resource.capacity; lane++) {
    if (!holds.some((h) => h.lane === lane && h.holdFrom < holdUntil && h.holdUntil > holdFrom)) return true
  }
  return false
}

/** Slot starts of the resource's day, on its step, within opening hours. */
function slotStarts(resource: Resource, day: Date, lengthMs: number, timeZone: string): Date[] {
  const { opens, closes } = openingOn(resource, day, timeZone)
  const step = Math.max(1, resource.slotMinutes) * MINUTE
  const starts: Date[] = []
  for (let t = opens.getTime(); t + lengthMs <= closes.getTime(); t += step) starts.push(new Date(t))
  return starts
}

/**
 * The free ranges of a resource's day, as people read them: maximal stretches where a booking of
 * one slot fits, merged. Past parts of today are left out.
 */
export async function freeRangesOn(tx: Pick<Tx, 'booking'>, resource: Resource, day: Date, timeZone: string, now: Date): Promise<FreeRange[]> {
  const { opens, closes } = openingOn(resource, day, timeZone)
  const holds = await holdsBetween(tx, resource, new Date(opens.getTime() - DAY), new Date(closes.getTime() + DAY))
  const step = Math.max(1, resource.slotMinutes) * MINUTE
  const ranges: FreeRange[] = []
  for (const start of slotStarts(resource, day, step, timeZone)) {
    const end = new Date(start.getTime() + step)
    if (start < now || !fits(resource, holds, start, end)) continue
    const last = ranges.at(-1)
    if (last && last.endsAt.getTime() === start.getTime()) last.endsAt = end
    else ranges.push({ startsAt: start, endsAt: end })
  }
  return ranges
}

/**
 * The free ranges of the same length nearest to a refused request, that day or the next two:
 * what a refusal offers instead.
 */
export async function nearestFree(tx: Pick<Tx, 'booking'>, resource: Resource, startsAt: Date, endsAt: Date, timeZone: string, now: Date, count = 3): Promise<FreeRange[]> {
  const length = endsAt.getTime() - startsAt.getTime()
  const holds = await holdsBetween(tx, resource, new Date(startsAt.getTime() - DAY), new Date(startsAt.getTime() + 4 * DAY))
  const candidates: FreeRange[] = []
  for (let d = 0; d < 3 && candidates.length < count; d++) {
    for (const start of slotStarts(resource, new Date(startsAt.getTime() + d * DAY), length, timeZone)) {
      const end = new Date(start.getTime() + length)
      if (start < now || start.getTime() === startsAt.getTime()) continue
      if (fits(resource, holds, start, end)) candidates.push({ startsAt: start, endsAt: end })
    }
  }
  const distance = (r: FreeRange) => Math.abs(r.startsAt.getTime() - startsAt.getTime())
  return candidates.sort((a, b) => distance(a) - distance(b)).slice(0, count).sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())
}

/** Whether the range could be booked now (the waitlist offers only what would get in). */
export async function isFree(tx: Pick<Tx, 'booking'>, resource: Resource, startsAt: Date, endsAt: Date): Promise<boolean> {
  const { holdFrom, holdUntil } = holdOf(resource, startsAt, endsAt)
  return fits(resource, await holdsBetween(tx, resource, holdFrom, holdUntil), startsAt, endsAt)
}
