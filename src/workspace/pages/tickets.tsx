import type { ListedTicket } from '../../domain/tickets/queries.ts'
import { CsvExport, DateRange } from '../components/filters.tsx'
import { Choice, Layout, type View } from '../components/layout.tsx'
import { TicketCard } from '../components/ticket-card.tsx'
import type { TicketQuery } from '../filters.ts'

export const PAGE_SIZE = 50

export interface TicketsPageProps {
  view: View
  query: TicketQuery
  rows: ListedTicket[]
  total: number
  now: Date
  assignees: { id: string; name: string }[]
  departments: { id: string; name: string }[]
  mayExport: boolean
  /** The query string of this page without the page number, for export and paging links. */
  search: string
}

export function TicketsPage(props: TicketsPageProps) {
  const { view, query } = props
  const { t } = view
  const page = query.page ?? 1
  const pageLink = (n: number) => `/workspace/tickets?${props.search}${props.search ? '&' : ''}page=${n}`
  return (
    <Layout view={view} title={t('tickets.title')}>
      <form method="get" action="/workspace/tickets" class="filters">
        <Choice name="kind" label={t('filter.kind')} value={query.kind} anyLabel={t('filter.any')} options={(['repair', 'complaint'] as const).map((k) => [k, t(`kind.${k}`)])} />
        <Choice
          name="status"
          label={t('filter.status')}
          value={query.status}
          anyLabel={t('filter.any')}
          options={(['open', 'assigned', 'on_site', 'done', 'closed', 'cancelled'] as const).map((s) => [s, t(`status.${s}`)])}
        />
        <Choice name="priority" label={t('filter.priority')} value={query.priority} anyLabel={t('filter.any')} options={(['urgent', 'high', 'normal', 'low'] as const).map((p) => [p, t(`priority.${p}`)])} />
        <Choice name="assignee" label={t('filter.assignee')} value={query.assignee} anyLabel={t('filter.any')} options={props.assignees.map((m) => [m.id, m.name])} />
        <Choice name="department" label={t('filter.department')} value={query.department} anyLabel={t('filter.any')} options={props.departments.map((d) => [d.id, d.name])} />
        <label>
          {t('filter.unit')}
          <input name="unit" value={query.unit ?? ''} maxLength={40} />
        </label>
        <DateRange t={t} from={query.from} to={query.to} />
        <label>
          {t('filter.search')}
          <input name="q" type="search" value={query.q ?? ''} maxLength={100} />
        </label>
        <label>
          <span>
            <input type="checkbox" name="overdue" value="1" checked={query.overdue === '1'} /> {t('filter.overdue')}
          </span>
        </label>
        <div class="actions">
          <button type="submit">{t('filter.apply')}</button>
          <a href="/workspace/tickets">{t('filter.reset')}</a>
        </div>
      </form>
      <div class="actions">
        <span>{t('tickets.count', { count: props.total })}</span>
        {props.mayExport && <CsvExport t={t} path="/workspace/tickets.csv" search={props.search} />}
      </div>
      {props.rows.length === 0 ? (
        <p>{t('tickets.none')}</p>
      ) : (
        <ul class="cards">
          {props.rows.map((ticket) => (
            <TicketCard view={view} ticket={ticket} now={props.now} />
          ))}
        </ul>
      )}
      <nav class="pager">
        {page > 1 && <a href={pageLink(page - 1)}>{t('page.prev')}</a>}
        {page * PAGE_SIZE < props.total && <a href={pageLink(page + 1)}>{t('page.next')}</a>}
      </nav>
    </Layout>
  )
}
