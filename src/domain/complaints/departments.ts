import type { Department, Member } from '../../generated/prisma/client.ts'
import { domainError } from '../errors.ts'
import type { Tx } from '../tickets/types.ts'

/** A tenant's department by its name or one of its aliases (工程 → 工程部). */
export async function findDepartment(tx: Tx, tenantId: string, name: string): Promise<Department | null> {
  const wanted = name.trim()
  if (!wanted) return null
  return tx.department.findFirst({
    where: { tenantId, OR: [{ name: { equals: wanted, mode: 'insensitive' } }, { aliases: { has: wanted } }] },
    orderBy: { name: 'asc' },
  })
}

export async function requireDepartment(tx: Tx, tenantId: string, name: string): Promise<Department> {
  const department = await findDepartment(tx, tenantId, name)
  if (!department) {
    const known = await tx.department.findMany({ where: { tenantId }, select: { name: true }, orderBy: { name: 'asc' }, take: 20 })
    throw domainError('complaint.unknown_department', { name: name.trim(), known: known.map((d) => d.name).join('、') || '—' })
  }
  return department
}

/** The department heads, active members of the tenant, in the order they were set. */
export async function headsOf(tx: Tx, department: Pick<Department, 'tenantId' | 'headIds'> | null): Promise<Member[]> {
  if (!department || department.headIds.length === 0) return []
  const members = await tx.member.findMany({ where: { tenantId: department.tenantId, id: { in: department.headIds }, active: true } })
  return department.headIds.map((id) => members.find((member) => member.id === id)).filter((member): member is Member => member !== undefined)
}
