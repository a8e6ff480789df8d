import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import type { AppContext } from '../context.ts'
import { BadInput, Conflict, NotFound } from '../errors.ts'
import { parseWith } from '../http/validation.ts'
import { mayOpen } from '../workspace/auth/permissions.ts'
import { hashPassword, MIN_PASSWORD_LENGTH } from '../workspace/auth/password.ts'
import { normalizeUsername } from '../workspace/auth/sign-in.ts'
import { ADMIN_ACTOR, writeAudit } from './audit.ts'
import { idParams, tenantParams } from './schemas.ts'
import { isUniqueViolation, requireTenant } from './tenant-scope.ts'

const password = z.string().min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`).max(200)
const createLoginBody = z.strictObject({
  username: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._@-]{3,64}$/, 'must be 3–64 letters, digits or . _ @ -'),
  password,
})
const resetPasswordBody = z.strictObject({ password })

/** What the admin API says about a login: never the hash, salt or cost. */
function loginView(login: { id: string; memberId: string; username: string; lockedUntil: Date | null; lastSignInAt: Date | null; passwordChangedAt: Date; createdAt: Date }, now: Date) {
  return {
    id: login.id,
    memberId: login.memberId,
    username: login.username,
    locked: login.lockedUntil !== null && login.lockedUntil > now,
    lockedUntil: login.lockedUntil && login.lockedUntil > now ? login.lockedUntil.toISOString() : null,
    lastSignInAt: login.lastSignInAt?.toISOString() ?? null,
    passwordChangedAt: login.passwordChangedAt.toISOString(),
    createdAt: login.createdAt.toISOString(),
  }
}

/**
 * Workspace sign-ins for a tenant's staff: the admin creates one per member and resets its
 * password; a reset also lifts a lockout and signs the member out everywhere.
 */
export function loginRoutes(ctx: AppContext) {
  return async (app: FastifyInstance) => {
    app.get('/tenants/:tenantId/logins', async (request) => {
      const { tenantId } = parseWith(tenantParams, request.params)
      await requireTenant(ctx.prisma, tenantId)
      const logins = await ctx.prisma.workspaceLogin.findMany({ where: { tenantId }, include: { member: { select: { name: true, roles: true, active: true } } }, orderBy: { username: 'asc' } })
      const now = ctx.clock.now()
      return logins.map((login) => ({ ...loginView(login, now), name: login.member.name, roles: login.member.roles, active: login.member.active }))
    })

    app.post('/members/:id/login', async (request, reply) => {
      const { id } = parseWith(idParams, request.params)
      const body = parseWith(createLoginBody, request.body)
      const member = await ctx.prisma.member.findUnique({ where: { id }, include: { workspaceLogin: { select: { id: true } } } })
      if (!member) throw new NotFound('member not found')
      if (!mayOpen(member.roles, 'tickets')) throw new BadInput('customers cannot sign in to the workspace', 'give the member a staff role (agent, technician, supervisor or admin) first')
      if (member.workspaceLogin) throw new Conflict('this member already has a login', 'reset its password instead')
      const hashed = await hashPassword(body.password)
      try {
        const login = await ctx.prisma.$transaction(async (tx) => {
          const created = await tx.workspaceLogin.create({
            data: { tenantId: member.tenantId, memberId: member.id, username: normalizeUsername(body.username), passwordHash: hashed.hash, passwordSalt: hashed.salt, passwordCost: { ...hashed.cost } },
          })
          await writeAudit(tx, { tenantId: member.tenantId, actor: ADMIN_ACTOR, action: 'login.create', target: member.id, data: { username: created.username } })
          return created
        })
        return reply.code(201).send(loginView(login, ctx.clock.now()))
      } catch (error) {
        if (isUniqueViolation(error)) throw new Conflict('this user name is taken', 'choose another user name')
        throw error
      }
    })

    app.post('/members/:id/login/password', async (request) => {
      const { id } = parseWith(idParams, request.params)
      const body = parseWith(resetPasswordBody, request.body)
      const hashed = await hashPassword(body.password)
      const login = await ctx.prisma.$transaction(async (tx) => {
        const found = await tx.workspaceLogin.findUnique({ where: { memberId: id } })
        if (!found) throw new NotFound('this member has no login', 'create one first')
        const updated = await tx.workspaceLogin.update({
          where: { id: found.id },
          data: { passwordHash: hashed.hash, passwordSalt: hashed.salt, passwordCost: { ...hashed.cost }, passwordChangedAt: ctx.clock.now(), failedAttempts: 0, failWindowStart: null, lockedUntil: null },
        })
        await tx.workspaceSession.deleteMany({ where: { loginId: found.id } })
        await writeAudit(tx, { tenantId: found.tenantId, actor: ADMIN_ACTOR, action: 'login.reset_password', target: id, data: { username: found.username } })
        return updated
      })
      return loginView(login, ctx.clock.now())
    })
  }
}
