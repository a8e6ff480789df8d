import type { ComponentChildren } from 'preact'
import type { Locale, Translate } from '../i18n.ts'
import { mayOpen, type Section } from '../auth/permissions.ts'
import type { Staff } from '../auth/sessions.ts'

/** What every page needs to render: the reader's language and zone, and who is signed in (if anyone). */
export interface View {
  t: Translate
  locale: Locale
  timeZone: string
  /** Path and query of this page, for the language switch to come back to. */
  here: string
  staff?: Staff
}

const sections: { section: Section; href: string; key: 'nav.tickets' | 'nav.followUps' | 'nav.bookings' | 'nav.reports' }[] = [
  { section: 'tickets', href: '/workspace/tickets', key: 'nav.tickets' },
  { section: 'followUps', href: '/workspace/follow-ups', key: 'nav.followUps' },
  { section: 'bookings', href: '/workspace/bookings', key: 'nav.bookings' },
  { section: 'reports', href: '/workspace/reports', key: 'nav.reports' },
]

export function Layout({ view, title, children }: { view: View; title: string; children: ComponentChildren }) {
  const { t, staff } = view
  const other = view.locale === 'zh-CN' ? 'en-US' : 'zh-CN'
  return (
    <html lang={view.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ${staff ? staff.tenant.name : 'frontdesk'}`}</title>
        <link rel="stylesheet" href="/workspace/workspace.css" />
      </head>
      <body>
        <header class="top">
          <strong>{staff ? staff.tenant.name : 'frontdesk'} {t('app.title')}</strong>
          {staff && (
            <nav class="main">
              {sections
                .filter((entry) => mayOpen(staff.member.roles, entry.section))
                .map((entry) => (
                  <a href={entry.href} aria-current={view.here.startsWith(entry.href) ? 'page' : undefined}>
                    {t(entry.key)}
                  </a>
                ))}
            </nav>
          )}
          <span class="who">
            <a href={`/workspace/lang?to=${other}&back=${encodeURIComponent(view.here)}`} lang={other}>
              {t('nav.language')}
            </a>
            {staff && (
              <>
                {' · '}
                {staff.member.name}{' '}
                <form method="post" action="/workspace/logout" class="inline">
                  <input type="hidden" name="_csrf" value={staff.csrfToken} />
                  <button type="submit" class="link">
                    {t('nav.signOut')}
                  </button>
                </form>
              </>
            )}
          </span>
        </header>
        <main>
          <h1>{title}</h1>
          {children}
        </main>
      </body>
    </html>
  )
}

export function ErrorBox({ message }: { message: string | undefined }) {
  return message ? (
    <p class="error" role="alert">
      {message}
    </p>
  ) : null
}

/** A select whose first option means "no filter". */
export function Choice({ name, label, value, options, anyLabel }: { name: string; label: string; value: string | undefined; options: [string, string][]; anyLabel: string }) {
  return (
    <label>
      {label}
      <select name={name}>
        <option value="">{anyLabel}</option>
        {options.map(([key, text]) => (
          <option value={key} selected={key === value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  )
}
