import { describe, expect, it } from 'vitest'
import { addMonthsInZone, localParts, zonedTime } from '../../src/domain/time.ts'

describe('time helpers (Intl only)', () => {
  it('reads local parts and builds instants from wall time', () => {
    const at = new Date('2026-11-23T02:00:00Z')
    expect(localParts(at, 'Asia/Shanghai')).toMatchObject({ year: 2026, month: 11, day: 23, hour: 10, minute: 0, weekday: 1 })
    expect(zonedTime({ year: 2026, month: 11, day: 23, hour: 17, minute: 30 }, 'Asia/Shanghai').toISOString()).toBe('2026-11-23T09:30:00.000Z')
  })

  it('handles a zone with daylight saving', () => {
    // New York: EDT (-4) until 2026-11-01, EST (-5) after.
    expect(zonedTime({ year: 2026, month: 10, day: 30, hour: 9, minute: 0 }, 'America/New_York').toISOString()).toBe('2026-10-30T13:00:00.000Z')
    expect(zonedTime({ year: 2026, month: 11, day: 2, hour: 9, minute: 0 }, 'America/New_York').toISOString()).toBe('2026-11-02T14:00:00.000Z')
  })

  it('adds months in the zone, clamping to the month end', () => {
    // 2026-01-31 10:00 local + 1 month → 2026-02-28 10:00 local.
    expect(addMonthsInZone(new Date('2026-01-31T02:00:00Z'), 1, 'Asia/Shanghai').toISOString()).toBe('2026-02-28T02:00:00.000Z')
    // Local date differs from the UTC date: 2026-11-30 07:00 local is 11-29 in UTC.
    expect(addMonthsInZone(new Date('2026-11-29T23:00:00Z'), 2, 'Asia/Shanghai').toISOString()).toBe('2027-01-29T23:00:00.000Z')
  })
})
