import type { PrismaClient, WorkspaceLogin } from '../../generated/prisma/client.ts'
import { burnDecoyCheck, verifyPassword, type PasswordCost } from './password.ts'

/** Five wrong passwords within fifteen minutes lock the account for fifteen minutes. */
export const LOCKOUT = { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 }

export type SignInResult =
  | { outcome: 'signed_in'; login: WorkspaceLogin }
  | { outcome: 'wrong' }
  | { outcome: 'locked'; until: Date }

export const normalizeUsername = (name: string) => name.trim().toLowerCase()

/**
 * Checks a user name and password. Failures are counted per account in the database (every web
 * process sees the same count), under a row lock so that parallel guesses cannot slip past the limit.
 */
export async function signIn(prisma: PrismaClient, input: { username: string; password: string; now: Date }): Promise<SignInResult> {
  const login = await prisma.workspaceLogin.findUnique({ where: { username: normalizeUsername(input.username) }, include: { member: true } })
  if (!login) {
    await burnDecoyCheck(input.password)
    return { outcome: 'wrong' }
  }
  if (login.lockedUntil && login.lockedUntil > input.now) return { outcome: 'locked', until: login.lockedUntil }

  const good = await verifyPassword(input.password, { hash: login.passwordHash, salt: login.passwordSalt, cost: login.passwordCost as unknown as PasswordCost })
  // An inactive member's password may be right, but the answer is the same as for a wrong one.
  if (good && login.member.active) {
    const cleared = await prisma.workspaceLogin.update({ where: { id: login.id }, data: { failedAttempts: 0, failWindowStart: null, lockedUntil: null, lastSignInAt: input.now } })
    return { outcome: 'signed_in', login: cleared }
  }
  return countFailure(prisma, login.id, input.now)
}

async function countFailure(prisma: PrismaClient, loginId: string, now: Date): Promise<SignInResult> {
  return prisma.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 FROM "WorkspaceLogin" WHERE id = ${loginId} FOR UPDATE`
    const row = await tx.workspaceLogin.findUniqueOrThrow({ where: { id: loginId } })
    const windowOpen = row.failWindowStart !== null && now.getTime() - row.failWindowStart.getTime() < LOCKOUT.windowMs
    const failedAttempts = windowOpen ? row.failedAttempts + 1 : 1
    const lockedUntil = failedAttempts >= LOCKOUT.maxFailures ? new Date(now.getTime() + LOCKOUT.lockMs) : null
    await tx.workspaceLogin.update({
      where: { id: loginId },
      // Locking starts a fresh window, so the next wrong password after the lock counts from one.
      data: lockedUntil ? { failedAttempts: 0, failWindowStart: null, lockedUntil } : { failedAttempts, failWindowStart: windowOpen ? row.failWindowStart : now },
    })
    return lockedUntil ? { outcome: 'locked' as const, until: lockedUntil } : { outcome: 'wrong' as const }
  })
}
