import type { DueFollowUp } from '../../domain/follow-ups/queries.ts'
import { CsvExport, DateRange } from '../components/filters.tsx'
import { Choice, Layout, type View } from '../components/layout.tsx'
import type { FollowUpQuery } from '../filters.ts'
import { formatTime, maskPhone } from '../format.ts'
import type { Translate } from '../i18n.ts'

export function followUpSubject(row: DueFollowUp, t: Translate): string {
  if (row.ticket) return `#${row.ticket.number}${row.ticket.unit ? ` ${row.ticket.unit}` : ''}`
  if (row.booking) return `${t('booking.label', { number: row.booking.number })} ${row.booking.customerName}`
  return ''
}

export function FollowUpsPage({ view, query, rows, now, mayExport, search }: { view: View; query: FollowUpQuery; rows: DueFollowUp[]; now: Date; mayExport: boolean; search: string }) {
  const { t } = view
  return (
    <Layout view={view} title={t('followUps.title')}>
      <form method="get" action="/workspace/follow-ups" class="filters">
        <Choice name="status" label={t('filter.status')} value={query.status} anyLabel={t('filter.any')} options={(['pending', 'overdue', 'done', 'cancelled'] as const).map((s) => [s, t(`fu.${s}`)])} />
        <DateRange t={t} from={query.from} to={query.to} />
        <div class="actions">
          <button type="submit">{t('filter.apply')}</button>
          {mayExport && <CsvExport t={t} path="/workspace/follow-ups.csv" search={search} />}
        </div>
      </form>
      {rows.length === 0 ? (
        <p>{t('followUps.none')}</p>
      ) : (
        <ul class="cards">
          {rows.map((row) => (
            <li class="card">
              <div class="head">
                {row.ticket ? <a href={`/workspace/tickets/${row.ticket.number}`}>{followUpSubject(row, t)}</a> : <span>{followUpSubject(row, t)}</span>}
                <span class={row.status === 'overdue' || (row.status === 'pending' && row.dueBy < now) ? 'tag late' : 'tag'}>{t(`fu.${row.status}`)}</span>
              </div>
              <div class="meta">
                <span>
                  {t('col.dueBy')} {formatTime(row.dueBy, view.timeZone)}
                </span>
                {row.ticket?.contactPhone && <span>{maskPhone(row.ticket.contactPhone)}</span>}
                {row.assignee && <span>{row.assignee.name}</span>}
                {row.outcome && <span>{t(`outcome.${row.outcome}`)}</span>}
                {row.attempts > 0 && <span>×{row.attempts}</span>}
              </div>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  )
}
