import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import cookie from '@fastify/cookie'
import formbody from '@fastify/formbody'
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import type { z } from 'zod'
import type { AppContext } from '../context.ts'
import { authRoutes, signOut } from './auth/routes.ts'
import { formField, fromOwnOrigin } from './auth/forms.ts'
import { mayOpen, type Section } from './auth/permissions.ts'
import { readSession, sameToken, SESSION_COOKIE, type Staff } from './auth/sessions.ts'
import type { View } from './components/layout.tsx'
import { asLocale, LANG_COOKIE, translator, type MessageKey } from './i18n.ts'
import { MessagePage } from './pages/login.tsx'
import { sendPage } from './render.ts'
import { SECURITY_HEADERS } from './render.ts'
import { bookingRoutes } from './sections/bookings.ts'
import { followUpRoutes } from './sections/follow-ups.ts'
import { reportRoutes } from './sections/reports.ts'
import { ticketRoutes } from './sections/tickets.ts'
import { badFields } from './filters.ts'

declare module 'fastify' {
  interface FastifyRequest {
    staff?: Staff
  }
}

/** What each section's routes get: the context, how to build a page's view, and the polite refusals. */
export interface SectionKit {
  ctx: AppContext
  viewOf(request: FastifyRequest): View
  staffOf(request: FastifyRequest): Staff
  /** Parses a query string with a zod schema, or answers 400 with a page naming the bad fields. */
  parseQuery<T extends z.ZodType>(schema: T, request: FastifyRequest, reply: FastifyReply): z.infer<T> | undefined
  refuse(request: FastifyRequest, reply: FastifyReply, status: 403 | 404, key: MessageKey): FastifyReply
  /** Registers a GET route that only the given roles' section may open. */
  guard(section: Section): (request: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply | void>
}

/**
 * The web workspace at /workspace: server-rendered pages for a tenant's staff, signed in with their
 * own accounts. Every query is scoped by the signed-in member's tenant, never by an id from the URL.
 */
export function workspaceRoutes(ctx: AppContext): FastifyPluginAsync {
  const stylesheet = readFileSync(join(import.meta.dirname, 'workspace.css'))

  const viewOf = (request: FastifyRequest): View => {
    const staff = request.staff
    const locale = asLocale(request.cookies?.[LANG_COOKIE]) ?? asLocale(staff?.tenant.locale) ?? 'zh-CN'
    return { t: translator(locale), locale, timeZone: staff?.tenant.timeZone ?? 'Asia/Shanghai', here: request.url, staff }
  }

  const refuse: SectionKit['refuse'] = (request, reply, status, key) => {
    const view = viewOf(request)
    return sendPage(reply, MessagePage({ view, title: view.t(key), message: view.t(key) }), status)
  }

  const kit: SectionKit = {
    ctx,
    viewOf,
    staffOf: (request) => request.staff!,
    parseQuery(schema, request, reply) {
      const parsed = schema.safeParse(request.query)
      if (parsed.success) return parsed.data
      const view = viewOf(request)
      const message = view.t('badInput', { fields: badFields(parsed.error) })
      sendPage(reply, MessagePage({ view, title: message, message }), 400)
      return undefined
    },
    refuse,
    guard: (section) => async (request, reply) => {
      if (!mayOpen(request.staff!.member.roles, section)) return refuse(request, reply, 403, 'forbidden')
    },
  }

  return async (app: FastifyInstance) => {
    await app.register(cookie)
    await app.register(formbody, { bodyLimit: 16 * 1024 })

    app.get('/workspace.css', async (_request, reply) => reply.headers({ ...SECURITY_HEADERS, 'cache-control': 'no-cache' }).type('text/css; charset=utf-8').send(stylesheet))

    // The switch is a link, so it works without script; `back` must stay inside the workspace.
    app.get('/lang', async (request, reply) => {
      const { to, back } = request.query as { to?: string; back?: string }
      const locale = asLocale(to) ?? 'zh-CN'
      reply.setCookie(LANG_COOKIE, locale, { path: '/workspace', sameSite: 'lax', httpOnly: true, secure: ctx.config.PUBLIC_BASE_URL.startsWith('https:'), maxAge: 365 * 86_400 })
      const target = typeof back === 'string' && /^\/workspace(\/|\?|$)/.test(back) && !back.startsWith('//') ? back : '/workspace/tickets'
      return reply.redirect(target, 303)
    })

    await app.register(authRoutes(ctx, viewOf))

    // Everything below needs a signed-in staff member.
    await app.register(async (signedIn) => {
      signedIn.addHook('preHandler', async (request, reply) => {
        const token = request.cookies[SESSION_COOKIE]
        const staff = await readSession(ctx.prisma, token, ctx.clock.now())
        if (!staff) {
          if (token) reply.clearCookie(SESSION_COOKIE, { path: '/workspace' })
          return reply.redirect(token ? '/workspace/login?expired=1' : '/workspace/login', 303)
        }
        request.staff = staff
        // Every post carries the session's form token and comes from our own pages.
        if (request.method === 'POST') {
          const presented = formField(request.body, '_csrf')
          if (!fromOwnOrigin(request, ctx.config.PUBLIC_BASE_URL) || !presented || !sameToken(presented, staff.csrfToken)) {
            const view = viewOf(request)
            return sendPage(reply, MessagePage({ view, title: view.t('csrf.refused'), message: view.t('csrf.refused') }), 403)
          }
        }
      })

      signedIn.get('/', async (_request, reply) => reply.redirect('/workspace/tickets', 303))
      signedIn.post('/logout', async (request, reply) => signOut(ctx, request, reply))
      await signedIn.register(ticketRoutes(kit))
      await signedIn.register(followUpRoutes(kit))
      await signedIn.register(bookingRoutes(kit))
      await signedIn.register(reportRoutes(kit))
    })
  }
}
