import type { ListedTicket } from '../../domain/tickets/queries.ts'
import { formatTime } from '../format.ts'
import type { View } from './layout.tsx'

export function isOverdue(ticket: Pick<ListedTicket, 'status' | 'pausedAt' | 'respondBy' | 'arrivedAt' | 'resolveBy'>, now: Date): boolean {
  if (!['open', 'assigned', 'on_site'].includes(ticket.status) || ticket.pausedAt) return false
  return (ticket.respondBy !== null && ticket.arrivedAt === null && ticket.respondBy < now) || (ticket.resolveBy !== null && ticket.resolveBy < now)
}

export function TicketCard({ view, ticket, now }: { view: View; ticket: ListedTicket; now: Date }) {
  const { t } = view
  return (
    <li class="card">
      <div class="head">
        <a href={`/workspace/tickets/${ticket.number}`}>
          <strong>#{ticket.number}</strong>
        </a>
        <span class="tag">{t(`kind.${ticket.kind}`)}</span>
        <span class="tag">{t(`status.${ticket.status}`)}</span>
        {ticket.priority !== 'normal' && <span class={ticket.priority === 'urgent' ? 'tag urgent' : 'tag'}>{t(`priority.${ticket.priority}`)}</span>}
        {isOverdue(ticket, now) && <span class="tag late">{t('tickets.overdue')}</span>}
        {ticket.pausedAt && <span class="tag">{t('tickets.paused')}</span>}
        {ticket.unit && <span>{ticket.unit}</span>}
      </div>
      <div>{ticket.description}</div>
      <div class="meta">
        <span>{formatTime(ticket.createdAt, view.timeZone)}</span>
        {ticket.assignee && (
          <span>
            {t('col.assignee')}: {ticket.assignee.name}
          </span>
        )}
        {ticket.department && <span>{ticket.department.name}</span>}
      </div>
    </li>
  )
}
