import { randomBytes } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { AppContext } from '../../context.ts'
import { LoginPage } from '../pages/login.tsx'
import { sendPage } from '../render.ts'
import type { View } from '../components/layout.tsx'
import { registerAddressLimit } from './address-limit.ts'
import { formField, fromOwnOrigin } from './forms.ts'
import { mayOpen } from './permissions.ts'
import { closeSession, openSession, sameToken, SESSION_COOKIE, SESSION_TTL_MS } from './sessions.ts'
import { signIn } from './sign-in.ts'

/** Before sign-in there is no session to bind the form to, so a random cookie is the double-submit pair. */
const LOGIN_CSRF_COOKIE = 'fd_ws_login'

export function cookieOptions(ctx: AppContext, maxAgeSeconds: number) {
  return {
    path: '/workspace',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: ctx.config.PUBLIC_BASE_URL.startsWith('https:'),
    maxAge: maxAgeSeconds,
  }
}

export function authRoutes(ctx: AppContext, viewOf: (request: FastifyRequest) => View) {
  const showLogin = (request: FastifyRequest, reply: FastifyReply, status: number, error?: string, username?: string) => {
    const token = randomBytes(24).toString('base64url')
    reply.setCookie(LOGIN_CSRF_COOKIE, token, cookieOptions(ctx, 60 * 60))
    return sendPage(reply, LoginPage({ view: viewOf(request), csrfToken: token, error, username }), status)
  }

  const waitPage = (request: FastifyRequest, reply: FastifyReply, waitMs: number, key: 'login.locked' | 'login.tooManyFromAddress', username: string) => {
    reply.header('retry-after', String(Math.ceil(waitMs / 1000)))
    return showLogin(request, reply, 429, viewOf(request).t(key, { minutes: Math.max(1, Math.ceil(waitMs / 60_000)) }), username)
  }

  return async (app: FastifyInstance) => {
    const addressLimit = await registerAddressLimit(app, ctx)

    app.get('/login', async (request, reply) => showLogin(request, reply, 200, (request.query as { expired?: string }).expired ? viewOf(request).t('login.expired') : undefined))

    app.post('/login', async (request, reply) => {
      const { t } = viewOf(request)
      const formToken = formField(request.body, '_csrf')
      const cookieToken = request.cookies[LOGIN_CSRF_COOKIE]
      if (!fromOwnOrigin(request, ctx.config.PUBLIC_BASE_URL) || !formToken || !cookieToken || !sameToken(formToken, cookieToken)) {
        return showLogin(request, reply, 403, t('csrf.refused'))
      }
      const username = formField(request.body, 'username')?.slice(0, 64) ?? ''
      const password = formField(request.body, 'password')?.slice(0, 200) ?? ''
      if (!username.trim() || !password) return showLogin(request, reply, 400, t('login.missing'), username)

      // An address past its failures is refused before the password is checked, so its guesses learn nothing.
      const addressWait = await addressLimit.waitMs(request)
      if (addressWait) {
        request.log.warn({ event: 'workspace.sign_in_address_limited', ip: request.ip }, 'workspace sign-in refused: too many failures from this address')
        return waitPage(request, reply, addressWait, 'login.tooManyFromAddress', username)
      }

      const now = ctx.clock.now()
      const result = await signIn(ctx.prisma, { username, password, now })
      const member = result.outcome === 'signed_in' ? await ctx.prisma.member.findUnique({ where: { id: result.login.memberId } }) : null
      // A login whose member is now a customer only, or inactive, signs in no more than a wrong password.
      if (result.outcome !== 'signed_in' || !member || !member.active || !mayOpen(member.roles, 'tickets')) {
        request.log.info({ event: 'workspace.sign_in_refused' }, 'workspace sign-in refused')
        // Every refusal counts against the address, a locked account's too.
        const wait = await addressLimit.countFailure(request)
        if (wait) return waitPage(request, reply, wait, 'login.tooManyFromAddress', username)
        if (result.outcome === 'locked') return waitPage(request, reply, result.until.getTime() - now.getTime(), 'login.locked', username)
        return showLogin(request, reply, 401, t('login.wrong'), username)
      }
      const session = await openSession(ctx.prisma, result.login, now)
      request.log.info({ event: 'workspace.signed_in', memberId: member.id, tenantId: member.tenantId }, 'workspace sign-in')
      reply.clearCookie(LOGIN_CSRF_COOKIE, { path: '/workspace' })
      reply.setCookie(SESSION_COOKIE, session.token, cookieOptions(ctx, SESSION_TTL_MS / 1000))
      return reply.redirect('/workspace/tickets', 303)
    })
  }
}

/** Sign-out needs the session's form token like any other post. */
export async function signOut(ctx: AppContext, request: FastifyRequest, reply: FastifyReply) {
  await closeSession(ctx.prisma, request.cookies[SESSION_COOKIE])
  reply.clearCookie(SESSION_COOKIE, { path: '/workspace' })
  return reply.redirect('/workspace/login', 303)
}
