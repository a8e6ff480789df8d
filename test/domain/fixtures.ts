import { randomBytes } from 'node:crypto'
import type { PrismaClient, Role } from '../../src/generated/prisma/client.ts'

const uid = () => randomBytes(6).toString('hex')

/** A tenant with a typical team and one group per purpose, straight through Prisma. */
export async function createTeam(prisma: PrismaClient, tenant: { name?: string; businessHours?: object; holidays?: string[]; policy?: object } = {}) {
  const created = await prisma.tenant.create({
    data: {
      name: tenant.name ?? `物业 ${uid()}`,
      ...(tenant.businessHours ? { businessHours: tenant.businessHours } : {}),
      ...(tenant.holidays ? { holidays: tenant.holidays } : {}),
      ...(tenant.policy ? { policy: tenant.policy } : {}),
    },
  })
  const member = (name: string, roles: Role[]) =>
    prisma.member.create({ data: { tenantId: created.id, platform: 'console', externalUserId: `u_${uid()}`, name, roles } })
  const group = (purpose: 'front_desk' | 'maintenance' | 'management' | 'customer_service') =>
    prisma.chatGroup.create({ data: { tenantId: created.id, platform: 'console', externalId: `g_${uid()}`, name: purpose, purpose } })
  return {
    tenant: created,
    tenantId: created.id,
    customer: await member('业主王先生', ['customer']),
    agent: await member('客服小李', ['agent']),
    tech1: await member('维修张师傅', ['technician']),
    tech2: await member('维修赵师傅', ['technician']),
    supervisor: await member('主管陈经理', ['supervisor']),
    frontDesk: await group('front_desk'),
    maintenance: await group('maintenance'),
    management: await group('management'),
  }
}

export type Team = Awaited<ReturnType<typeof createTeam>>

export const minutes = (n: number) => n * 60_000
export const hours = (n: number) => n * 3600_000
