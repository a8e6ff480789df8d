import type { Translate } from '../i18n.ts'

/** The from/to day fields of a filter form; empty means open-ended on that side. */
export function DateRange({ t, from, to }: { t: Translate; from: string | undefined; to: string | undefined }) {
  return (
    <>
      <label>
        {t('filter.from')}
        <input name="from" type="date" value={from ?? ''} />
      </label>
      <label>
        {t('filter.to')}
        <input name="to" type="date" value={to ?? ''} />
      </label>
    </>
  )
}

/** The CSV download of a list, with the same filters (`search`, a query string) as the page. */
export function CsvExport({ t, path, search }: { t: Translate; path: string; search: string }) {
  return (
    <a class="button" href={`${path}${search ? `?${search}` : ''}`} download>
      {t('export.csv')}
    </a>
  )
}
