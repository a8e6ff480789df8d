import { describe, expect, it } from 'vitest'
import { describeDemo, seedDemoTenant } from '../../src/admin/seed.ts'
import { GroupPurpose, Role } from '../../src/generated/prisma/client.ts'
import { setupTestEnv } from '../support/harness.ts'

const env = await setupTestEnv()

describe('demo seed', () => {
  it('creates the demo tenant with one console group per purpose and one member per role, once', async () => {
    // Web and worker processes start together: exactly one of them seeds.
    const results = await Promise.all([seedDemoTenant(env.ctx), seedDemoTenant(env.ctx)])
    expect(results.filter((r) => r === null)).toHaveLength(1)
    const seeded = results.find((r) => r !== null)!

    const tenant = await env.ctx.prisma.tenant.findUniqueOrThrow({ where: { id: seeded.tenantId } })
    expect(tenant).toMatchObject({ name: '演示物业服务中心', demo: true, timeZone: 'Asia/Shanghai' })

    expect(seeded.groups.map((g) => g.purpose).sort()).toEqual(Object.values(GroupPurpose).sort())
    const groups = await env.ctx.prisma.chatGroup.findMany({ where: { tenantId: seeded.tenantId } })
    expect(groups).toHaveLength(4)
    expect(groups.every((g) => g.platform === 'console')).toBe(true)
    expect(groups.find((g) => g.purpose === 'front_desk')).toMatchObject({ externalId: 'demo-front-desk', name: '前台群' })

    expect(seeded.members.map((m) => m.role).sort()).toEqual(Object.values(Role).sort())
    const members = await env.ctx.prisma.member.findMany({ where: { tenantId: seeded.tenantId } })
    expect(members.map((m) => m.name).sort()).toEqual(['业主王先生', '张师傅', '刘主管', '前台小李', '管理员'].sort())
    expect(members.every((m) => m.platform === 'console')).toBe(true)

    const department = await env.ctx.prisma.department.findFirstOrThrow({ where: { tenantId: seeded.tenantId } })
    expect(department.name).toBe('维修部')
    expect(department.groupId).toBe(seeded.groups.find((g) => g.purpose === 'maintenance')!.id)
    expect(members.find((m) => m.name === '张师傅')!.departmentId).toBe(department.id)
  })

  it('does nothing on the next start', async () => {
    expect(await seedDemoTenant(env.ctx)).toBeNull()
    expect(await env.ctx.prisma.tenant.count()).toBe(1)
    expect(await env.ctx.prisma.chatGroup.count()).toBe(4)
  })

  it('describes how to reach the console with a curl example', async () => {
    const tenant = await env.ctx.prisma.tenant.findFirstOrThrow()
    const groups = await env.ctx.prisma.chatGroup.findMany({ where: { tenantId: tenant.id } })
    const members = await env.ctx.prisma.member.findMany({ where: { tenantId: tenant.id } })
    const lines = describeDemo(
      {
        tenantId: tenant.id,
        groups: groups.map((g) => ({ purpose: g.purpose, id: g.id, externalId: g.externalId, name: g.name })),
        members: members.map((m) => ({ role: m.roles[0], id: m.id, externalUserId: m.externalUserId, name: m.name })),
      },
      'http://localhost:3000/',
    )
    const text = lines.join('\n')
    const frontDesk = groups.find((g) => g.purpose === 'front_desk')!
    const customer = members.find((m) => m.roles.includes('customer'))!
    expect(text).toContain(`POST http://localhost:3000/console/groups/<groupId>/messages`)
    expect(text).toContain(`GET  http://localhost:3000/console/groups/<groupId>/messages`)
    expect(text).toContain(`curl -X POST http://localhost:3000/console/groups/${frontDesk.id}/messages`)
    expect(text).toContain(`"memberId":"${customer.id}"`)
    expect(text).toContain(`curl http://localhost:3000/console/groups/${frontDesk.id}/messages`)
    for (const member of members) expect(text).toContain(member.id)
  })
})
