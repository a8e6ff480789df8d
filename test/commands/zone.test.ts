import { describe, expect, it } from 'vitest'
import { parse } from '../../src/commands/parse/parser.ts'
import { toInstant, wallClock } from '../../src/commands/parse/zone.ts'
import { catalog } from './support.ts'

describe('time zones with Intl', () => {
  it('converts wall-clock times both ways across a DST change', () => {
    expect(toInstant({ year: 2026, month: 3, day: 7 }, 15 * 60, 'America/New_York').toISOString()).toBe('2026-03-07T20:00:00.000Z')
    expect(toInstant({ year: 2026, month: 3, day: 9 }, 15 * 60, 'America/New_York').toISOString()).toBe('2026-03-09T19:00:00.000Z')
    expect(wallClock(new Date('2026-03-09T19:00:00Z'), 'America/New_York')).toEqual({ date: { year: 2026, month: 3, day: 9 }, minutes: 15 * 60 })
  })

  it('resolves "tomorrow 3pm" in the tenant zone, not the server zone', () => {
    const now = new Date('2026-11-23T10:00:00Z')
    const result = parse('repair 3-2-501 leak tomorrow 3pm', { catalog, now, timeZone: 'Europe/London' })
    expect(result).toMatchObject({ ok: true, args: { appointment: { start: '2026-11-24T15:00:00.000Z' } } })
  })

  it('crosses midnight by the tenant date: 23:30 in Shanghai is already tomorrow in UTC', () => {
    const now = new Date('2026-11-23T23:30:00+08:00')
    const result = parse('报修 3-2-501 漏水 预约明天上午10点', { catalog, now })
    expect(result).toMatchObject({ ok: true, args: { appointment: { start: '2026-11-24T02:00:00.000Z' } } })
  })

  it('refuses an unknown time zone loudly', () => {
    expect(() => parse('待办', { catalog, now: new Date(), timeZone: 'Mars/Olympus' })).toThrow(/Unknown time zone/)
  })
})
