import type { CoverageGroup } from '../follow-ups/windows.ts'
import type { PeriodKind, ReportScope, TrendSeries } from './types.ts'

export type ReportLocale = 'zh' | 'en'

export function reportLocale(locale: string | null | undefined): ReportLocale {
  return locale?.toLowerCase().startsWith('en') ? 'en' : 'zh'
}

/** Text of the summaries by key, Chinese first. `{x}` placeholders are filled by `fill`. */
export const reportText = {
  zh: {
    title: { day: '{scope}日报 {date}', week: '{scope}周报 {from} 至 {to}', month: '{scope}月报 {month}', quarter: '{scope}季报 {from} 至 {to}' } satisfies Record<PeriodKind, string>,
    scope: { front_desk: '前台', maintenance: '维修', management: '管理', customer_service: '客服' } satisfies Record<ReportScope, string>,
    versus: { day: '较前日', week: '较上周', month: '较上月', quarter: '较上季' } satisfies Record<PeriodKind, string>,
    figure: '{label} {value}（{versus} {delta}）',
    repairs: '**报修** 新增 {created} · 完成 {handled} · 未完成 {open}',
    complaints: '**投诉** 新增 {created} · 处理 {handled} · 未完成 {open}',
    bookingsToday: '本期预约', bookingsNext: '下期预约',
    bookingsDay: '今日预约', bookingsTomorrow: '明日预约',
    followUpsDue: '应回访', followUpsDone: '已回访', followUpsOverdue: '回访逾期',
    lateComplaints: '超30分钟录入的投诉',
    technicians: '**维修工** 未完成 / 完成',
    technicianLine: '{name}：{open} / {done}',
    noTechnicians: '今日无派单',
    overdue: '超时未完成工单',
    arrival: '到场用时：中位 {median} 分钟，最慢 {slowest} 分钟（限时 {limit} 分钟，超时 {over} 单，共 {count} 单）',
    noArrival: '到场用时：本期无即时报修到场',
    repeatRepairs: '重复报修', repeatComplainants: '重复投诉人',
    breaches: '超时（违约）', escalations: '升级提醒', majorComplaints: '重大投诉',
    coverageHeading: '**回访率**（目标：投诉 100%，报修 95%）',
    coverageLine: '{group}：{reached}/{owed} = {rate}（目标 {target}）{mark}',
    coverageNone: '{group}：本期无应回访',
    coverageGroup: { complaint: '投诉', repair: '报修', service: '服务' } satisfies Record<CoverageGroup, string>,
    met: '达标', missed: '未达标',
    satisfaction: '满意度：满意 {satisfied}/{reached}，平均评分 {rating}',
    staffHeading: '**预约取消 / 未到（按员工）**',
    staffLine: '{name}：取消 {cancellations}，未到 {noShows}',
    staffNone: '本期无取消或未到',
    deadHeading: '**未送达消息** {count} 条',
    deadLine: '{time} {group}（{platform}）{error}',
    deadNone: '未送达消息：0',
    deadMore: '另有 {count} 条，见工作台',
    analysisHeading: '**回访分析**',
    analysis: '不满意 {unsatisfied} · 联系不上 {unreachable} · 重复投诉 {repeatComplaints} · 重复报修 {repeatRepairs}',
    trimmed: '完整报表见工作台：{url}',
    noGroup: '—',
    chartTitle: '近7日趋势',
    chartSeries: { repairsCreated: '新报修', repairsHandled: '完成报修', complaintsCreated: '新投诉', complaintsHandled: '处理投诉', bookings: '预约', followUpsDone: '已回访' } satisfies Record<TrendSeries['key'], string>,
  },
  en: {
    title: { day: '{scope} daily report {date}', week: '{scope} weekly report {from} to {to}', month: '{scope} monthly report {month}', quarter: '{scope} quarterly report {from} to {to}' } satisfies Record<PeriodKind, string>,
    scope: { front_desk: 'Front desk', maintenance: 'Maintenance', management: 'Management', customer_service: 'Customer service' } satisfies Record<ReportScope, string>,
    versus: { day: 'vs day before', week: 'vs last week', month: 'vs last month', quarter: 'vs last quarter' } satisfies Record<PeriodKind, string>,
    figure: '{label} {value} ({delta} {versus})',
    repairs: '**Repairs** new {created} · done {handled} · open {open}',
    complaints: '**Complaints** new {created} · handled {handled} · open {open}',
    bookingsToday: 'Bookings this period', bookingsNext: 'Bookings next period',
    bookingsDay: "Today's bookings", bookingsTomorrow: "Tomorrow's bookings",
    followUpsDue: 'Follow-ups due', followUpsDone: 'Follow-ups done', followUpsOverdue: 'Follow-ups overdue',
    lateComplaints: 'Complaints recorded after 30 minutes',
    technicians: '**Technicians** open / done',
    technicianLine: '{name}: {open} / {done}',
    noTechnicians: 'No assigned repairs',
    overdue: 'Overdue repairs',
    arrival: 'Time to arrive: median {median} min, slowest {slowest} min (limit {limit} min, {over} over, {count} in all)',
    noArrival: 'Time to arrive: no immediate repair reached in this period',
    repeatRepairs: 'Repeat repairs', repeatComplainants: 'Repeat complainants',
    breaches: 'Deadlines missed', escalations: 'Escalations', majorComplaints: 'Major complaints',
    coverageHeading: '**Follow-up rate** (targets: complaints 100%, repairs 95%)',
    coverageLine: '{group}: {reached}/{owed} = {rate} (target {target}) {mark}',
    coverageNone: '{group}: none owed',
    coverageGroup: { complaint: 'Complaints', repair: 'Repairs', service: 'Services' } satisfies Record<CoverageGroup, string>,
    met: 'met', missed: 'missed',
    satisfaction: 'Satisfaction: {satisfied}/{reached} satisfied, average rating {rating}',
    staffHeading: '**Booking cancellations / no-shows by staff**',
    staffLine: '{name}: {cancellations} cancelled, {noShows} no-shows',
    staffNone: 'No cancellations or no-shows',
    deadHeading: '**Undelivered messages** {count}',
    deadLine: '{time} {group} ({platform}) {error}',
    deadNone: 'Undelivered messages: 0',
    deadMore: '{count} more in the workspace',
    analysisHeading: '**Follow-up analysis**',
    analysis: 'unsatisfied {unsatisfied} · unreachable {unreachable} · repeat complaints {repeatComplaints} · repeat repairs {repeatRepairs}',
    trimmed: 'Full report in the workspace: {url}',
    noGroup: '—',
    chartTitle: 'Last 7 days',
    chartSeries: { repairsCreated: 'New repairs', repairsHandled: 'Repairs done', complaintsCreated: 'New complaints', complaintsHandled: 'Complaints handled', bookings: 'Bookings', followUpsDone: 'Follow-ups done' } satisfies Record<TrendSeries['key'], string>,
  },
} as const

export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole))
}
