import { describe, expect, it } from 'vitest'
import { permittedScope, reportDate } from '../../src/commands/run/reports.ts'
import { parse } from '../../src/commands/parse/parser.ts'
import { loadCatalog } from '../../src/commands/catalog.ts'

describe('日报 on demand', () => {
  it('reads 今天, 昨天, 12月5日 and ISO dates; a December date typed in January is last December', () => {
    expect(reportDate(undefined, '2031-01-10')).toBe('2031-01-10')
    expect(reportDate('昨天', '2031-01-10')).toBe('2031-01-09')
    expect(reportDate('yesterday', '2031-03-01')).toBe('2031-02-28')
    expect(reportDate('12月5日', '2031-01-10')).toBe('2030-12-05')
    expect(reportDate('1月5号', '2031-01-10')).toBe('2031-01-05')
    expect(reportDate('2030-12-05', '2031-01-10')).toBe('2030-12-05')
    expect(reportDate('2月30日', '2031-03-10')).toBeNull()
    expect(reportDate('下个月', '2031-03-10')).toBeNull()
  })

  it('each caller reads what their role may: customers counts only, management for supervisors', () => {
    expect(permittedScope('management', ['supervisor'])).toBe('management')
    expect(permittedScope('management', ['agent'])).toBe('front_desk')
    expect(permittedScope('management', ['technician'])).toBe('maintenance')
    expect(permittedScope('front_desk', ['customer'])).toBe('customer_service')
    expect(permittedScope('maintenance', ['technician'])).toBe('maintenance')
  })

  it('the catalog names parse: 日报 昨天, 周报, 月报 and the English aliases', async () => {
    const catalog = loadCatalog()
    const opts = { catalog, mentions: [], now: new Date('2031-01-10T04:00:00Z'), timeZone: 'Asia/Shanghai', botNames: [] }
    expect(parse('日报 昨天', opts)).toMatchObject({ ok: true, command: 'daily-report', args: { day: '昨天' } })
    expect(parse('周报', opts)).toMatchObject({ ok: true, command: 'weekly-report' })
    expect(parse('monthly report', opts)).toMatchObject({ ok: true, command: 'monthly-report' })
  })
})
