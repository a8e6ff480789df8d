import type { AppContext } from '../context.ts'
import type { GroupPurpose, Role } from '../generated/prisma/client.ts'
import { writeAudit } from './audit.ts'

export interface DemoSeedResult {
  tenantId: string
  groups: { purpose: GroupPurpose; id: string; externalId: string; name: string }[]
  members: { role: Role; id: string; externalUserId: string; name: string }[]
}

export const DEMO_TENANT_NAME = '演示物业服务中心'

const demoGroups: { purpose: GroupPurpose; externalId: string; name: string }[] = [
  { purpose: 'front_desk', externalId: 'demo-front-desk', name: '前台群' },
  { purpose: 'maintenance', externalId: 'demo-maintenance', name: '维修群' },
  { purpose: 'management', externalId: 'demo-management', name: '管理群' },
  { purpose: 'customer_service', externalId: 'demo-customer-service', name: '客服群' },
]

const demoMembers: { role: Role; externalUserId: string; name: string; phone?: string; inDepartment?: boolean }[] = [
  { role: 'customer', externalUserId: 'demo-owner-wang', name: '业主王先生', phone: '13800138000' },
  { role: 'agent', externalUserId: 'demo-agent-li', name: '前台小李' },
  { role: 'technician', externalUserId: 'demo-tech-zhang', name: '张师傅', inDepartment: true },
  { role: 'supervisor', externalUserId: 'demo-supervisor-liu', name: '刘主管' },
  { role: 'admin', externalUserId: 'demo-admin', name: '管理员' },
]

/** What the demo tenant can book: a room, a hall that needs a deposit, a court, and a home service. */
const demoResources = [
  { name: '会议室A', aliases: ['A会议室'], kind: 'room', opensAt: '08:00', closesAt: '22:00', slotMinutes: 30, defaultMinutes: 60, bufferAfterMinutes: 15 },
  { name: '多功能厅', aliases: ['大厅'], kind: 'venue', opensAt: '08:00', closesAt: '22:00', slotMinutes: 60, defaultMinutes: 180, bufferBeforeMinutes: 30, bufferAfterMinutes: 30, depositRequired: true, priceCents: 80000 },
  { name: '羽毛球场1号', aliases: ['1号场'], kind: 'court', opensAt: '07:00', closesAt: '22:00', slotMinutes: 60, defaultMinutes: 60, priceCents: 6000 },
  { name: '保洁', aliases: ['家政保洁', '上门保洁'], kind: 'service', capacity: 2, opensAt: '08:00', closesAt: '18:00', slotMinutes: 60, defaultMinutes: 180, minNoticeMinutes: 120 },
]

/** Any constant works; it only has to be the same in every process that may seed at once. */
const SEED_LOCK = 73_216_001

/**
 * First start with an empty database: a demo tenant whose console groups and members let anyone
 * try frontdesk without a Lark or WeCom account. Returns null when any tenant already exists, so
 * it is safe on every start and in every process (a transaction-scoped advisory lock serialises
 * web and worker processes starting together).
 */
export async function seedDemoTenant(ctx: Pick<AppContext, 'prisma'>): Promise<DemoSeedResult | null> {
  return ctx.prisma.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${SEED_LOCK})`)
    if ((await tx.tenant.count()) > 0) return null

    const tenant = await tx.tenant.create({ data: { name: DEMO_TENANT_NAME, timeZone: 'Asia/Shanghai', demo: true } })
    const groups: DemoSeedResult['groups'] = []
    for (const spec of demoGroups) {
      const group = await tx.chatGroup.create({ data: { tenantId: tenant.id, platform: 'console', ...spec } })
      groups.push({ purpose: group.purpose, id: group.id, externalId: group.externalId, name: group.name })
    }
    const maintenance = groups.find((group) => group.purpose === 'maintenance')
    const department = await tx.department.create({ data: { tenantId: tenant.id, name: '维修部', groupId: maintenance?.id ?? null } })

    const members: DemoSeedResult['members'] = []
    for (const spec of demoMembers) {
      const member = await tx.member.create({
        data: {
          tenantId: tenant.id,
          platform: 'console',
          externalUserId: spec.externalUserId,
          name: spec.name,
          roles: [spec.role],
          phone: spec.phone ?? null,
          departmentId: spec.inDepartment ? department.id : null,
        },
      })
      members.push({ role: spec.role, id: member.id, externalUserId: member.externalUserId, name: member.name })
    }
    await tx.resource.createMany({ data: demoResources.map((resource) => ({ tenantId: tenant.id, ...resource })) })
    await writeAudit(tx, { tenantId: tenant.id, actor: 'seed', action: 'tenant.seed_demo', target: tenant.id, data: { groups: groups.length, members: members.length } })
    return { tenantId: tenant.id, groups, members }
  })
}

/** The demo tenant an earlier start created (the oldest one, should there be several), or null. */
export async function findDemoTenant(ctx: Pick<AppContext, 'prisma'>): Promise<DemoSeedResult | null> {
  const tenant = await ctx.prisma.tenant.findFirst({
    where: { demo: true },
    orderBy: { createdAt: 'asc' },
    include: { groups: { where: { platform: 'console' } }, members: { where: { platform: 'console', active: true } } },
  })
  if (!tenant || !tenant.groups.length || !tenant.members.length) return null
  const purposeOrder = demoGroups.map((spec) => spec.purpose)
  const roleOrder = demoMembers.map((spec) => spec.role)
  return {
    tenantId: tenant.id,
    groups: tenant.groups
      .map((group) => ({ purpose: group.purpose, id: group.id, externalId: group.externalId, name: group.name }))
      .sort((a, b) => purposeOrder.indexOf(a.purpose) - purposeOrder.indexOf(b.purpose)),
    members: tenant.members
      .map((member) => ({ role: member.roles[0], id: member.id, externalUserId: member.externalUserId, name: member.name }))
      .sort((a, b) => roleOrder.indexOf(a.role) - roleOrder.indexOf(b.role)),
  }
}

/** Lines for the start-up log telling a newcomer how to talk to the demo through the console. */
export function describeDemo(result: DemoSeedResult, baseUrl: string, options: { created?: boolean } = {}): string[] {
  const base = baseUrl.replace(/\/$/, '')
  const frontDesk = result.groups.find((group) => group.purpose === 'front_desk') ?? result.groups[0]
  const maintenance = result.groups.find((group) => group.purpose === 'maintenance') ?? frontDesk
  const customer = result.members.find((member) => member.role === 'customer') ?? result.members[0]
  const body = JSON.stringify({ memberId: customer.id, text: '报修 3-2-501 厨房水管漏水' })
  return [
    `Demo tenant "${DEMO_TENANT_NAME}" ${options.created === false ? 'is ready' : 'created'} (tenant ${result.tenantId}). Try it through the console, no Lark or WeCom needed:`,
    `  send:   POST ${base}/console/groups/<groupId>/messages with JSON {"memberId": "<memberId>", "text": "…"}`,
    `  read:   GET  ${base}/console/groups/<groupId>/messages to see the bot's replies`,
    `  follow: GET  ${base}/console/groups/<groupId>/events (server-sent events, use curl -N)`,
    '  groups:',
    ...result.groups.map((group) => `    ${group.name} (${group.purpose}): ${group.id}`),
    '  members:',
    ...result.members.map((member) => `    ${member.name} (${member.role}): ${member.id}`),
    `  example, ${customer.name} reports a leak in ${frontDesk.name}:`,
    `    curl -X POST ${base}/console/groups/${frontDesk.id}/messages -H 'Content-Type: application/json' -d '${body}'`,
    `    curl ${base}/console/groups/${frontDesk.id}/messages`,
    `    curl -N ${base}/console/groups/${maintenance.id}/events`,
  ]
}
