import type { Reply } from '../../messages/reply.ts'
import { maskPhones } from '../../text/phone.ts'
import { localParts } from '../time.ts'
import { fill, reportText, type ReportLocale } from './messages.ts'
import type { Change, ReportFigures } from './types.ts'

const signed = (n: number) => (n > 0 ? `+${n}` : n < 0 ? `${n}` : '±0')
const percent = (rate: number) => `${Math.round(rate * 1000) / 10}%`

/**
 * The figures as a platform-neutral Reply in the tenant's language. Only counts and staff names:
 * never a resident's name, and phone numbers masked in every line, so any group may read it.
 * `image` is the stored trend chart, if one was drawn. With `workspaceUrl`, a summary too long for
 * one message is trimmed to one that ends with a link to the full report there.
 */
export function summaryReply(figures: ReportFigures, locale: ReportLocale, options: { imageId?: string; workspaceUrl?: string } = {}): Reply {
  const t = reportText[locale]
  const { period } = figures
  const scope = t.scope[figures.scope]
  const heading = fill(t.title[period.kind], { scope, date: period.startDate, from: period.startDate, to: period.endDate, month: period.startDate.slice(0, 7) })
  const versus = t.versus[period.kind]
  const figure = (label: string, change: Change) => fill(t.figure, { label, value: change.value, versus, delta: signed(change.value - change.previous) })
  const kindLine = (template: string, k: NonNullable<ReportFigures['work']>['repairs']) =>
    fill(template, { created: `${k.created.value}(${signed(k.created.value - k.created.previous)})`, handled: `${k.handled.value}(${signed(k.handled.value - k.handled.previous)})`, open: `${k.open.value}(${signed(k.open.value - k.open.previous)})` })
  const lines: string[] = []

  if (figures.work) {
    const w = figures.work
    lines.push(kindLine(t.repairs, w.repairs), kindLine(t.complaints, w.complaints))
    const [now, next] = period.kind === 'day' ? [t.bookingsDay, t.bookingsTomorrow] : [t.bookingsToday, t.bookingsNext]
    lines.push(figure(now, w.bookings.current), figure(next, w.bookings.next))
    // Customer service groups read counts of the work only, not how the desk is doing.
    if (figures.scope !== 'customer_service') {
      lines.push(figure(t.followUpsDue, w.followUps.due), figure(t.followUpsDone, w.followUps.done), figure(t.followUpsOverdue, w.followUps.overdue))
      lines.push(figure(t.lateComplaints, w.lateComplaints))
    }
  }
  if (figures.maintenance) {
    const m = figures.maintenance
    lines.push(t.technicians)
    if (!m.technicians.length) lines.push(t.noTechnicians)
    for (const tech of m.technicians) lines.push(fill(t.technicianLine, { name: tech.name, open: tech.open, done: tech.done }))
    lines.push(figure(t.overdue, m.overdue))
    lines.push(m.arrival.count
      ? fill(t.arrival, { median: m.arrival.medianMinutes ?? 0, slowest: m.arrival.slowestMinutes ?? 0, limit: m.arrival.limitMinutes, over: m.arrival.overLimit, count: m.arrival.count })
      : t.noArrival)
    lines.push(figure(t.repeatRepairs, m.repeatRepairs))
  }
  if (figures.management) {
    const g = figures.management
    lines.push(figure(t.breaches, g.breaches), figure(t.escalations, g.escalations), figure(t.majorComplaints, g.majorComplaints))
    lines.push(figure(t.repeatRepairs, g.repeatRepairs), figure(t.repeatComplainants, g.repeatComplainants))
    lines.push(t.coverageHeading)
    for (const line of g.coverage) {
      const group = t.coverageGroup[line.group]
      lines.push(line.rate === null
        ? fill(t.coverageNone, { group })
        : fill(t.coverageLine, { group, reached: line.reached, owed: line.owed, rate: percent(line.rate), target: percent(line.target), mark: line.met ? t.met : t.missed }))
    }
    lines.push(fill(t.satisfaction, { satisfied: g.satisfaction.satisfied, reached: g.satisfaction.reached, rating: g.satisfaction.averageRating ?? '—' }))
    lines.push(t.staffHeading)
    if (!g.staffBookings.length) lines.push(t.staffNone)
    for (const s of g.staffBookings) lines.push(fill(t.staffLine, { name: s.name, cancellations: s.cancellations, noShows: s.noShows }))
    if (!g.deadLetters.count.value) lines.push(t.deadNone)
    else {
      lines.push(fill(t.deadHeading, { count: g.deadLetters.count.value }))
      for (const d of g.deadLetters.items) {
        const p = localParts(d.at, figures.timeZone)
        const time = `${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')} ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`
        lines.push(fill(t.deadLine, { time, group: d.groupName ?? t.noGroup, platform: d.platform, error: d.error ?? '' }).trim())
      }
      const hidden = g.deadLetters.count.value - g.deadLetters.items.length
      if (hidden > 0) lines.push(fill(t.deadMore, { count: hidden }))
    }
  }
  if (figures.followUpAnalysis) {
    lines.push(t.analysisHeading, fill(t.analysis, { ...figures.followUpAnalysis }))
  }
  return {
    heading: maskPhones(heading),
    lines: lines.map(maskPhones),
    mentions: [],
    buttons: [],
    ...(options.imageId ? { image: { id: options.imageId } } : {}),
    ...(options.workspaceUrl ? { overflowNote: fill(t.trimmed, { url: options.workspaceUrl }) } : {}),
  }
}
