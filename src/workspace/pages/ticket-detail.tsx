import type { TicketDetails } from '../../domain/tickets/queries.ts'
import { eventName, eventText } from '../components/event-names.ts'
import { Layout, type View } from '../components/layout.tsx'
import { formatTime, maskPhone } from '../format.ts'

function Clock({ view, label, due, metAt, now }: { view: View; label: string; due: Date | null; metAt: Date | null; now: Date }) {
  if (!due) return null
  const late = metAt ? metAt > due : due < now
  return (
    <>
      <dt>{label}</dt>
      <dd>
        {formatTime(due, view.timeZone)} {late ? <span class="tag late">{view.t('detail.late')}</span> : metAt ? <span class="tag">{view.t('detail.met')}</span> : null}
      </dd>
    </>
  )
}

export function TicketDetailPage({ view, details, now }: { view: View; details: TicketDetails; now: Date }) {
  const { t } = view
  const { ticket, timeline, followUps } = details
  const finishedAt = ticket.completedAt ?? ticket.closedAt
  return (
    <Layout view={view} title={`#${ticket.number} ${t(`kind.${ticket.kind}`)}`}>
      <p>
        <a href="/workspace/tickets">{t('detail.back')}</a>
      </p>
      <div class="card">
        <dl class="facts">
          <dt>{t('col.status')}</dt>
          <dd>{t(`status.${ticket.status}`)}</dd>
          <dt>{t('col.priority')}</dt>
          <dd>{t(`priority.${ticket.priority}`)}</dd>
          {ticket.unit && (
            <>
              <dt>{t('col.unit')}</dt>
              <dd>{ticket.unit}</dd>
            </>
          )}
          <dt>{t('col.description')}</dt>
          <dd>{ticket.description}</dd>
          {(ticket.contactName || ticket.contactPhone) && (
            <>
              <dt>{t('col.contact')}</dt>
              <dd>
                {ticket.contactName ?? ''} {maskPhone(ticket.contactPhone)}
              </dd>
            </>
          )}
          <dt>{t('col.assignee')}</dt>
          <dd>{ticket.assignee?.name ?? t('detail.none')}</dd>
          <dt>{t('col.createdAt')}</dt>
          <dd>{formatTime(ticket.createdAt, view.timeZone)}</dd>
        </dl>
      </div>
      <h2>{t('detail.clocks')}</h2>
      <div class="card">
        {ticket.pausedAt && <p>{t('detail.pausedSince', { at: formatTime(ticket.pausedAt, view.timeZone), reason: ticket.pauseReason ?? '' })}</p>}
        <dl class="facts">
          <Clock view={view} label={t('detail.respondBy')} due={ticket.respondBy} metAt={ticket.arrivedAt} now={ticket.pausedAt ?? now} />
          <Clock view={view} label={t('detail.resolveBy')} due={ticket.resolveBy} metAt={finishedAt} now={ticket.pausedAt ?? now} />
          {ticket.arrivedAt && (
            <>
              <dt>{t('detail.arrivedAt')}</dt>
              <dd>{formatTime(ticket.arrivedAt, view.timeZone)}</dd>
            </>
          )}
          {ticket.completedAt && (
            <>
              <dt>{t('detail.completedAt')}</dt>
              <dd>{formatTime(ticket.completedAt, view.timeZone)}</dd>
            </>
          )}
          {ticket.closedAt && (
            <>
              <dt>{t('detail.closedAt')}</dt>
              <dd>{formatTime(ticket.closedAt, view.timeZone)}</dd>
            </>
          )}
        </dl>
      </div>
      <h2>{t('detail.timeline')}</h2>
      <ol class="timeline">
        {timeline.map((entry) => (
          <li>
            {formatTime(entry.at, view.timeZone)} <strong>{eventName(view.locale, entry.type)}</strong>
            {entry.actorName ? ` · ${entry.actorName}` : ''} {eventText(entry.data)}
          </li>
        ))}
      </ol>
      <h2>{t('detail.followUps')}</h2>
      {followUps.length === 0 ? (
        <p>{t('detail.none')}</p>
      ) : (
        <ul class="cards">
          {followUps.map((followUp) => (
            <li class="card">
              <span class="tag">{t(`fu.${followUp.status}`)}</span> {t('col.dueBy')} {formatTime(followUp.dueBy, view.timeZone)}
              {followUp.outcome && ` · ${t(`outcome.${followUp.outcome}`)}`}
              {followUp.rating !== null && ` · ${followUp.rating}/5`}
              {followUp.comment && ` · ${followUp.comment}`}
            </li>
          ))}
        </ul>
      )}
    </Layout>
  )
}
