import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Member, PrismaClient, Tenant } from '../../generated/prisma/client.ts'

export const SESSION_COOKIE = 'fd_ws_session'
/** A working day and a bit: signed in in the morning, still signed in at the evening hand-over. */
export const SESSION_TTL_MS = 12 * 60 * 60_000

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest('hex')

/** Who is signed in: the member (with roles), their tenant and the session's own ids. */
export interface Staff {
  sessionId: string
  loginId: string
  member: Member
  tenant: Tenant
  /** The form token for this session (double-submit: the cookie's token is never readable by scripts). */
  csrfToken: string
}

/** The form token is derived from the session token, so it needs no storage and dies with the session. */
export function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('workspace-csrf').digest('base64url')
}

export function sameToken(a: string, b: string): boolean {
  const left = createHash('sha256').update(a).digest()
  const right = createHash('sha256').update(b).digest()
  return timingSafeEqual(left, right)
}

export async function openSession(prisma: PrismaClient, login: { id: string; tenantId: string }, now: Date): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url')
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS)
  await prisma.workspaceSession.create({ data: { tokenHash: sha256(token), loginId: login.id, tenantId: login.tenantId, expiresAt } })
  return { token, expiresAt }
}

/** The signed-in staff member for a cookie token, or null when it is unknown, expired or no longer staff. */
export async function readSession(prisma: PrismaClient, token: string | undefined, now: Date): Promise<Staff | null> {
  if (!token) return null
  const session = await prisma.workspaceSession.findUnique({
    where: { tokenHash: sha256(token) },
    include: { login: { include: { member: true } }, tenant: true },
  })
  if (!session || session.expiresAt <= now) return null
  const member = session.login.member
  // A deactivated member, or one moved to another tenant, is signed out at the next request.
  if (!member.active || member.tenantId !== session.tenantId) return null
  return { sessionId: session.id, loginId: session.loginId, member, tenant: session.tenant, csrfToken: csrfTokenFor(token) }
}

export async function closeSession(prisma: PrismaClient, token: string | undefined): Promise<void> {
  if (token) await prisma.workspaceSession.deleteMany({ where: { tokenHash: sha256(token) } })
}

/** Rows deleted per statement: short locks even when a long pause left many behind. */
const SWEEP_BATCH = 1000

/**
 * Deletes expired sessions in batches, through the expiresAt index. Run periodically by the
 * worker upkeep, so sessions of members who never sign in again do not stay in the table.
 */
export async function sweepExpiredSessions(prisma: PrismaClient, now: Date, batch = SWEEP_BATCH): Promise<number> {
  let swept = 0
  for (;;) {
    const deleted = await prisma.$executeRaw`
      DELETE FROM "WorkspaceSession" WHERE id IN (
        SELECT id FROM "WorkspaceSession" WHERE "expiresAt" <= ${now} LIMIT ${batch}
      )`
    swept += deleted
    if (deleted < batch) return swept
  }
}
