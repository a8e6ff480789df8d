import { describe, expect, it } from 'vitest'
import { commandHelp } from '../../src/commands/help.ts'
import { catalog, parseText, sh } from '../commands/support.ts'

// The parser's clock: Monday 2026-11-23, 10:00 in Shanghai.
describe('收到 <time>: when a complaint was received, a time already past', () => {
  it('reads a time earlier today as today, and one not reached yet as yesterday', () => {
    const today = parseText('投诉 3-2-501 楼上装修噪音太大 13912345678 收到 9:20')
    expect(today).toMatchObject({ ok: true, command: 'complaint-create', args: { received: { start: sh('2026-11-23T09:20:00') }, content: '楼上装修噪音太大' } })

    const lastNight = parseText('投诉 3-2-501 楼上装修噪音太大 收到 晚上10点')
    expect(lastNight).toMatchObject({ ok: true, args: { received: { start: sh('2026-11-22T22:00:00') } } })

    const english = parseText('complaint 3-2-501 noise from upstairs received 9:20')
    expect(english).toMatchObject({ ok: true, command: 'complaint-create', args: { received: { start: sh('2026-11-23T09:20:00') } } })

    const enquiry = parseText('咨询 1号楼大堂 快递柜怎么用 收到 8:30')
    expect(enquiry).toMatchObject({ ok: true, command: 'complaint-consult', args: { unit: '1号楼大堂', received: { start: sh('2026-11-23T08:30:00') } } })
  })

  it('reads 昨天, 昨晚, 前天 and yesterday as the days before today', () => {
    expect(parseText('投诉 3-2-501 楼上装修噪音太大 13912345678 收到 昨天18:00')).toMatchObject({
      ok: true,
      command: 'complaint-create',
      args: { received: { start: sh('2026-11-22T18:00:00') }, content: '楼上装修噪音太大' },
    })
    expect(parseText('投诉 3-2-501 楼上装修噪音太大 收到 昨天 下午6点半')).toMatchObject({ ok: true, args: { received: { start: sh('2026-11-22T18:30:00') } } })
    expect(parseText('投诉 3-2-501 楼上装修噪音太大 收到 昨晚8点')).toMatchObject({ ok: true, args: { received: { start: sh('2026-11-22T20:00:00') } } })
    expect(parseText('咨询 1号楼大堂 快递柜怎么用 收到 前天 9:00')).toMatchObject({ ok: true, args: { received: { start: sh('2026-11-21T09:00:00') } } })
    expect(parseText('complaint 3-2-501 noise from upstairs received yesterday 6pm')).toMatchObject({ ok: true, args: { received: { start: sh('2026-11-22T18:00:00') } } })
  })

  it('never takes yesterday as a time that must lie ahead', () => {
    const booking = parseText('预约 会议室A 昨天18:00 2小时 13912345678')
    expect(booking).toMatchObject({ ok: true, command: 'booking-create' })
    expect(booking.ok && booking.args.when).toBeUndefined()
  })

  it('refuses a receipt in the future, naming the argument', () => {
    const tomorrow = parseText('投诉 3-2-501 楼上装修噪音太大 收到 明天9点')
    expect(tomorrow).toMatchObject({ ok: false, error: { kind: 'invalid-argument', argument: 'received', reason: 'future' } })
  })

  it('is documented in help', () => {
    for (const id of ['complaint-create', 'complaint-consult', 'complaint-help']) {
      expect(commandHelp(catalog, id, 'zh').lines.join('\n'), id).toContain('收到时间')
      expect(commandHelp(catalog, id, 'en').lines.join('\n'), id).toContain('received at')
    }
  })
})
