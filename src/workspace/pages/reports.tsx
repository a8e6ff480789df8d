import { CHART_HEIGHT, CHART_WIDTH } from '../../domain/reports/chart.ts'
import type { Change, ReportFigures } from '../../domain/reports/index.ts'
import { DateRange } from '../components/filters.tsx'
import { Layout, type View } from '../components/layout.tsx'
import type { Locale } from '../i18n.ts'

const text: Record<Locale, Record<string, string>> = {
  'zh-CN': {
    figure: '指标', value: '本期', previous: '上期', repairsCreated: '新报修', repairsHandled: '报修完成', repairsOpen: '报修未完成',
    complaintsCreated: '新投诉', complaintsHandled: '投诉处理', complaintsOpen: '投诉未完成', bookings: '预约', bookingsNext: '下期预约',
    followUpsDue: '应回访', followUpsDone: '已回访', followUpsOverdue: '回访逾期', lateComplaints: '投诉迟录', overdueRepairs: '报修超时',
    repeatRepairs: '重复报修', breaches: '超时', escalations: '升级', majorComplaints: '重大投诉', repeatComplainants: '重复投诉人',
    technician: '维修工', open: '未完成', done: '完成', arrival: '到场', median: '中位分钟', slowest: '最慢分钟', overLimit: '超时限',
    group: '类别', owed: '应回访', reached: '已回访', unreachable: '联系不上', rate: '回访率', target: '目标', satisfied: '满意',
    work: '前台', maintenance: '维修', management: '管理', coverage: '回访覆盖', trend: '每日趋势',
    repair_callback: '报修回访', repair_quality: '工程回访', complaint: '投诉回访', service: '服务回访', repair: '报修', booking: '预约',
  },
  'en-US': {
    figure: 'Figure', value: 'This period', previous: 'Before', repairsCreated: 'Repairs recorded', repairsHandled: 'Repairs done', repairsOpen: 'Repairs open',
    complaintsCreated: 'Complaints recorded', complaintsHandled: 'Complaints handled', complaintsOpen: 'Complaints open', bookings: 'Bookings', bookingsNext: 'Bookings next period',
    followUpsDue: 'Follow-ups due', followUpsDone: 'Follow-ups done', followUpsOverdue: 'Follow-ups overdue', lateComplaints: 'Complaints recorded late', overdueRepairs: 'Repairs overdue',
    repeatRepairs: 'Repeat repairs', breaches: 'Deadlines missed', escalations: 'Escalations', majorComplaints: 'Major complaints', repeatComplainants: 'Repeat complainants',
    technician: 'Technician', open: 'Open', done: 'Done', arrival: 'Arrival', median: 'Median min', slowest: 'Slowest min', overLimit: 'Over limit',
    group: 'Group', owed: 'Owed', reached: 'Reached', unreachable: 'Unreachable', rate: 'Rate', target: 'Target', satisfied: 'Satisfied',
    work: 'Front desk', maintenance: 'Maintenance', management: 'Management', coverage: 'Follow-up coverage', trend: 'Daily trend',
    repair_callback: 'Repair call-backs', repair_quality: 'Works quality', complaint: 'Complaints', service: 'Services', repair: 'Repairs', booking: 'Bookings',
  },
}

function ChangeTable({ words, rows }: { words: Record<string, string>; rows: [string, Change][] }) {
  return (
    <table class="figures">
      <thead>
        <tr>
          <th>{words.figure}</th>
          <th>{words.value}</th>
          <th>{words.previous}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([key, change]) => (
          <tr>
            <td>{words[key] ?? key}</td>
            <td>{change.value}</td>
            <td>{change.previous}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

const percent = (rate: number | null) => (rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`)

export interface ReportsPageProps {
  view: View
  from: string
  to: string
  work: ReportFigures
  maintenance: ReportFigures
  management: ReportFigures
}

export function ReportsPage({ view, from, to, work, maintenance, management }: ReportsPageProps) {
  const { t } = view
  const words = text[view.locale]
  const w = work.work!
  const m = maintenance.maintenance!
  const g = management.management!
  return (
    <Layout view={view} title={t('reports.title')}>
      <form method="get" action="/workspace/reports" class="filters">
        <DateRange t={t} from={from} to={to} />
        <div class="actions">
          <button type="submit">{t('filter.apply')}</button>
        </div>
      </form>
      <p>
        {work.period.startDate} – {work.period.endDate} ({words.previous}: {work.previousPeriod.startDate} – {work.previousPeriod.endDate})
      </p>
      <h2>{words.trend}</h2>
      <figure class="chart">
        <img src={`/workspace/reports/chart.png?${new URLSearchParams({ from, to })}`} width={CHART_WIDTH} height={CHART_HEIGHT} alt={`${words.trend} ${from} – ${to}`} />
      </figure>
      <h2>{words.work}</h2>
      <ChangeTable
        words={words}
        rows={[
          ['repairsCreated', w.repairs.created],
          ['repairsHandled', w.repairs.handled],
          ['repairsOpen', w.repairs.open],
          ['complaintsCreated', w.complaints.created],
          ['complaintsHandled', w.complaints.handled],
          ['complaintsOpen', w.complaints.open],
          ['lateComplaints', w.lateComplaints],
          ['bookings', w.bookings.current],
          ['followUpsDue', w.followUps.due],
          ['followUpsDone', w.followUps.done],
          ['followUpsOverdue', w.followUps.overdue],
        ]}
      />
      <h2>{words.maintenance}</h2>
      <ChangeTable words={words} rows={[['overdueRepairs', m.overdue], ['repeatRepairs', m.repeatRepairs]]} />
      <p>
        {words.arrival}: {m.arrival.count} · {words.median} {m.arrival.medianMinutes ?? '—'} · {words.slowest} {m.arrival.slowestMinutes ?? '—'} · {words.overLimit} {m.arrival.overLimit}
      </p>
      {m.technicians.length > 0 && (
        <table class="figures">
          <thead>
            <tr>
              <th>{words.technician}</th>
              <th>{words.open}</th>
              <th>{words.done}</th>
            </tr>
          </thead>
          <tbody>
            {m.technicians.map((row) => (
              <tr>
                <td>{row.name}</td>
                <td>{row.open}</td>
                <td>{row.done}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{words.management}</h2>
      <ChangeTable
        words={words}
        rows={[
          ['breaches', g.breaches],
          ['escalations', g.escalations],
          ['majorComplaints', g.majorComplaints],
          ['repeatComplainants', g.repeatComplainants],
        ]}
      />
      <h2>{words.coverage}</h2>
      <table class="figures">
        <thead>
          <tr>
            <th>{words.group}</th>
            <th>{words.owed}</th>
            <th>{words.reached}</th>
            <th>{words.unreachable}</th>
            <th>{words.rate}</th>
            <th>{words.target}</th>
          </tr>
        </thead>
        <tbody>
          {g.coverage.map((line) => (
            <tr>
              <td>{words[line.group] ?? line.group}</td>
              <td>{line.owed}</td>
              <td>{line.reached}</td>
              <td>{line.unreachable}</td>
              <td>{percent(line.rate)}</td>
              <td>{percent(line.target)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  )
}
