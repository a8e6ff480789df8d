import type { Member, Platform, Role } from '../../generated/prisma/client.ts'
import { domainError } from '../errors.ts'
import type { Tx } from './types.ts'

const staffRoles: Role[] = ['agent', 'technician', 'supervisor', 'admin']
/** Roles that may act on any ticket of the tenant, not only their own. */
const deskRoles: Role[] = ['agent', 'supervisor', 'admin']

export const isStaff = (member: Pick<Member, 'roles'>) => member.roles.some((role) => staffRoles.includes(role))
export const isDesk = (member: Pick<Member, 'roles'>) => member.roles.some((role) => deskRoles.includes(role))

/** A member of this tenant; another tenant's member id is as unknown as a made-up one. */
export async function loadMember(tx: Tx, tenantId: string, memberId: string): Promise<Member> {
  const member = await tx.member.findFirst({ where: { id: memberId, tenantId } })
  if (!member) throw domainError('member.not_found', { memberId })
  return member
}

/** Active members with a role, to @-mention; capped so a mention list stays readable. */
export async function membersWithRole(tx: Tx, tenantId: string, role: Role, limit = 20): Promise<Member[]> {
  return tx.member.findMany({
    where: { tenantId, active: true, roles: { has: role } },
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
    take: limit,
  })
}

/**
 * Active members of the tenant on one platform whose display name or one of whose aliases is
 * `name` (names compare case-insensitively; aliases as stored, trimmed by the admin API).
 */
export async function membersNamed(tx: Tx, tenantId: string, platform: Platform, name: string, limit = 10): Promise<Member[]> {
  return tx.member.findMany({
    where: { tenantId, platform, active: true, OR: [{ name: { equals: name, mode: 'insensitive' } }, { aliases: { has: name } }] },
    orderBy: [{ name: 'asc' }, { createdAt: 'asc' }],
    take: limit,
  })
}
