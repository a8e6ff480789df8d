import { describe, expect, it } from 'vitest'
import { inferCategory, normalizeUnit } from '../../src/domain/categories.ts'
import { isDomainError } from '../../src/domain/errors.ts'
import { calendarFor } from '../../src/domain/calendar/index.ts'
import { defaultRepairPolicy, resolveRepairPolicy } from '../../src/domain/policy.ts'
import { planRepairReminders } from '../../src/domain/tickets/reminder-plan.ts'
import { BadInput } from '../../src/errors.ts'

describe('categories', () => {
  it.each([
    ['厨房水管漏水', '水'],
    ['马桶堵了', '水'],
    ['客厅灯不亮', '电'],
    ['插座跳闸', '电'],
    ['电梯困人', '电梯'],
    ['防盗门锁坏了', '门窗'],
    ['空调漏水', '空调'],
    ['闻到煤气味', '燃气'],
    ['宽带断了', '网络'],
    ['卫生间防水要重做', '工程'],
    ['墙面开裂', '工程'],
    ['有只猫在楼道', '其他'],
  ])('%s → %s', (text, category) => {
    expect(inferCategory(text)).toBe(category)
  })

  it('normalises units typed with full-width characters', () => {
    expect(normalizeUnit(' ３－２－５０１ ')).toBe('3-2-501')
    expect(normalizeUnit('a栋 501')).toBe('A栋501')
  })
})

describe('policy', () => {
  it('merges tenant overrides onto the defaults', () => {
    const policy = resolveRepairPolicy({ onSiteMinutes: 20, resolveHours: { urgent: 2 } })
    expect(policy.onSiteMinutes).toBe(20)
    expect(policy.resolveHours).toEqual({ ...defaultRepairPolicy.resolveHours, urgent: 2 })
  })

  it('rejects an invalid override with a domain code', () => {
    try {
      resolveRepairPolicy({ onSiteMinutes: -1 })
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(BadInput)
      expect(isDomainError(error) && error.code).toBe('tenant.invalid_policy')
    }
  })

  it('plans no on-site clock for a normal immediate repair, only resolution', () => {
    const opened = new Date('2026-11-23T02:00:00Z')
    const plan = planRepairReminders({ priority: 'normal', appointmentAt: null, status: 'open' }, defaultRepairPolicy, calendarFor({ timeZone: 'Asia/Shanghai', businessHours: { days: [1, 2, 3, 4, 5], start: '08:30', end: '17:30' }, holidays: [] }), opened)
    expect(plan.map((r) => [r.kind, r.dueAt.toISOString()])).toEqual([
      ['repair.resolve_warning', '2026-11-24T16:24:00.000Z'],
      ['repair.resolve_breach', '2026-11-25T02:00:00.000Z'],
    ])
  })
})
