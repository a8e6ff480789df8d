import { ErrorBox, Layout, type View } from '../components/layout.tsx'

export function LoginPage({ view, csrfToken, error, username }: { view: View; csrfToken: string; error?: string; username?: string }) {
  const { t } = view
  return (
    <Layout view={view} title={t('login.title')}>
      <form method="post" action="/workspace/login" class="login">
        <ErrorBox message={error} />
        <input type="hidden" name="_csrf" value={csrfToken} />
        <label>
          {t('login.username')}
          <input name="username" autocomplete="username" required value={username ?? ''} maxLength={64} />
        </label>
        <label>
          {t('login.password')}
          <input name="password" type="password" autocomplete="current-password" required maxLength={200} />
        </label>
        <button type="submit">{t('login.submit')}</button>
      </form>
    </Layout>
  )
}

/** Errors that are not about a form: forbidden, not found, bad filters. */
export function MessagePage({ view, title, message }: { view: View; title: string; message: string }) {
  return (
    <Layout view={view} title={title}>
      <ErrorBox message={message} />
      <p>
        <a href="/workspace/tickets">{view.t('nav.tickets')}</a>
      </p>
    </Layout>
  )
}
