import type { Prisma } from '../generated/prisma/client.ts'
import { NotFound } from '../errors.ts'

/** Every tenant-scoped route starts here, so an unknown tenant is always the same 404. */
export async function requireTenant(db: Prisma.TransactionClient, tenantId: string): Promise<void> {
  const found = await db.tenant.findUnique({ where: { id: tenantId }, select: { id: true } })
  if (!found) throw new NotFound('tenant not found')
}

/** True for Prisma's unique-constraint violation (P2002), however the driver adapter wraps it. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'P2002'
}
