import type { Booking, Resource } from '../../generated/prisma/client.ts'
import { Layout, type View } from '../components/layout.tsx'
import { addDays, formatTime, isoDate, type LocalDate } from '../format.ts'
import { localParts } from '../../time/zone.ts'

export interface BookingsPageProps {
  view: View
  resources: Resource[]
  resourceId: string | undefined
  mode: 'day' | 'week'
  first: LocalDate
  days: number
  rows: (Booking & { resource: Resource })[]
  mayExport: boolean
}

export function BookingsPage(props: BookingsPageProps) {
  const { view, mode, first } = props
  const { t } = view
  const link = (date: LocalDate, nextMode = mode) => `/workspace/bookings?view=${nextMode}&date=${isoDate(date)}${props.resourceId ? `&resource=${props.resourceId}` : ''}`
  const dayList = Array.from({ length: props.days }, (_, i) => addDays(first, i))
  const onDay = (day: LocalDate) => props.rows.filter((row) => isoDate(localParts(row.startsAt, view.timeZone)) === isoDate(day))
  return (
    <Layout view={view} title={t('bookings.title')}>
      <form method="get" action="/workspace/bookings" class="filters">
        <label>
          {t('col.resource')}
          <select name="resource">
            <option value="">{t('bookings.allResources')}</option>
            {props.resources.map((resource) => (
              <option value={resource.id} selected={resource.id === props.resourceId}>
                {resource.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('bookings.date')}
          <input type="date" name="date" value={isoDate(first)} />
        </label>
        <label>
          {t('bookings.week')}/{t('bookings.day')}
          <select name="view">
            <option value="day" selected={mode === 'day'}>
              {t('bookings.day')}
            </option>
            <option value="week" selected={mode === 'week'}>
              {t('bookings.week')}
            </option>
          </select>
        </label>
        <div class="actions">
          <button type="submit">{t('filter.apply')}</button>
        </div>
      </form>
      <nav class="pager">
        <a href={link(addDays(first, -props.days))}>{t('bookings.prev')}</a>
        <a href={link(addDays(first, props.days))}>{t('bookings.next')}</a>
        {props.mayExport && (
          <a class="button" href={`/workspace/bookings.csv?view=${mode}&date=${isoDate(first)}${props.resourceId ? `&resource=${props.resourceId}` : ''}`} download>
            {t('export.csv')}
          </a>
        )}
      </nav>
      {props.rows.length === 0 && <p>{t('bookings.none')}</p>}
      {dayList.map((day) => {
        const rows = onDay(day)
        return rows.length === 0 && mode === 'week' ? null : (
          <section>
            <h2>
              <a href={link(day, 'day')}>{isoDate(day)}</a>
            </h2>
            <ul class="cards">
              {rows.map((row) => (
                <li class="card">
                  <div class="head">
                    <strong>{t('booking.label', { number: row.number })}</strong>
                    <span>{row.resource.name}</span>
                    <span class="tag">{t(`booking.${row.status}`)}</span>
                  </div>
                  <div class="meta">
                    <span>
                      {formatTime(row.startsAt, view.timeZone).slice(11)}–{formatTime(row.endsAt, view.timeZone).slice(11)}
                    </span>
                    <span>{row.customerName}</span>
                    {row.note && <span>{row.note}</span>}
                  </div>
                </li>
              ))}
            </ul>
          </section>
        )
      })}
    </Layout>
  )
}
