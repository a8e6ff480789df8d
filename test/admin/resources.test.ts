import { describe, expect, it } from 'vitest'
import { consoleGroup } from '../support/conversation.ts'
import { startDemoWorld } from '../support/demo.ts'
import { setupTestEnv } from '../support/harness.ts'
import { adminClient, auditActions, createTenant } from './helpers.ts'

const env = await setupTestEnv()
// The demo tenant first: it is only seeded into an empty schema.
const world = await startDemoWorld(env)
const admin = adminClient(env)
const prisma = env.ctx.prisma
const fieldsOf = (body: { fields: { field: string; message: string }[] }) => Object.fromEntries(body.fields.map((f) => [f.field, f.message]))

const hall = {
  name: '多功能厅',
  aliases: ['大厅', '多功能厅二楼', '大厅'],
  kind: 'venue',
  capacity: 1,
  opensAt: '08:00',
  closesAt: '21:00',
  slotMinutes: 60,
  defaultMinutes: 180,
  bufferBeforeMinutes: 30,
  bufferAfterMinutes: 45,
  minNoticeMinutes: 3 * 24 * 60,
  maxAdvanceDays: 60,
  depositRequired: true,
  priceCents: 80000,
  prepRoles: ['technician', 'agent', 'technician'],
}

describe('resources in the admin API', () => {
  it('creates a resource with every field, lists, edits, deactivates and activates it, each write audited', async () => {
    const tenantId = await createTenant(env, '资源物业')

    const created = await admin.post(`/tenants/${tenantId}/resources`, hall)
    expect(created.statusCode).toBe(201)
    const resource = created.json()
    expect(resource).toEqual({ ...hall, id: expect.any(String), aliases: ['大厅', '多功能厅二楼'], prepRoles: ['technician', 'agent'], active: true })

    const court = await admin.post(`/tenants/${tenantId}/resources`, { name: '羽毛球场1号' })
    expect(court.statusCode).toBe(201)
    // Left out, each field takes the resource default.
    expect(court.json()).toMatchObject({ kind: 'room', capacity: 1, opensAt: '08:00', closesAt: '22:00', slotMinutes: 30, depositRequired: false, priceCents: null, prepRoles: [] })

    const edited = await admin.patch(`/tenants/${tenantId}/resources/${resource.id}`, { capacity: 2, closesAt: '22:00', priceCents: null, prepRoles: [], aliases: ['大厅'] })
    expect(edited.statusCode).toBe(200)
    expect(edited.json()).toMatchObject({ capacity: 2, closesAt: '22:00', priceCents: null, prepRoles: [], aliases: ['大厅'], bufferAfterMinutes: 45 })
    const stored = await prisma.resource.findUniqueOrThrow({ where: { id: resource.id } })
    expect(stored).toMatchObject({ capacity: 2, closesAt: '22:00', priceCents: null, depositRequired: true })

    const deactivated = await admin.post(`/tenants/${tenantId}/resources/${resource.id}/deactivate`)
    expect(deactivated.json()).toMatchObject({ active: false })
    // Deactivated ones stay listed for the admin, after the active ones.
    expect((await admin.get(`/tenants/${tenantId}/resources`)).json().map((r: { name: string; active: boolean }) => [r.name, r.active])).toEqual([
      ['羽毛球场1号', true],
      ['多功能厅', false],
    ])
    expect((await admin.post(`/tenants/${tenantId}/resources/${resource.id}/activate`)).json()).toMatchObject({ active: true })

    expect(await auditActions(env, tenantId)).toEqual(['tenant.create', 'resource.create', 'resource.create', 'resource.update', 'resource.deactivate', 'resource.activate'])
    const update = await prisma.auditLog.findFirstOrThrow({ where: { tenantId, action: 'resource.update' } })
    expect(update.data).toEqual({ capacity: 2, closesAt: '22:00', priceCents: null, prepRoles: [], aliases: ['大厅'] })
  })

  it('refuses bad fields one by one with a clear message, storing nothing', async () => {
    const tenantId = await createTenant(env, '资源校验物业')
    const bad = await admin.post(`/tenants/${tenantId}/resources`, {
      name: '会议 室',
      kind: 'spa',
      capacity: 0,
      opensAt: '8点',
      slotMinutes: 7.5,
      bufferAfterMinutes: -5,
      maxAdvanceDays: 'a year',
      depositRequired: 'yes',
      priceCents: -100,
      prepRoles: ['chef'],
      colour: 'red',
    })
    expect(bad.statusCode).toBe(400)
    expect(fieldsOf(bad.json())).toEqual({
      name: 'must be one word without spaces, @ or #',
      kind: 'must be one of room, venue, court, hotel_room, bed, service',
      capacity: 'must be at least 1',
      opensAt: 'must be a 24-hour time like 18:00',
      slotMinutes: 'must be whole minutes',
      bufferAfterMinutes: 'must be at least 0 minutes',
      maxAdvanceDays: 'must be a number of days',
      depositRequired: 'must be true or false',
      priceCents: 'must not be negative',
      'prepRoles.0': 'must be one of customer, agent, technician, supervisor, admin',
      colour: 'unknown field',
    })

    const closedBeforeOpen = await admin.post(`/tenants/${tenantId}/resources`, { name: '会议室A', opensAt: '18:00', closesAt: '09:00' })
    expect(closedBeforeOpen.statusCode).toBe(400)
    expect(fieldsOf(closedBeforeOpen.json())).toEqual({ closesAt: 'must be after the opening time 18:00' })

    const tooLong = await admin.post(`/tenants/${tenantId}/resources`, { name: '会议室A', opensAt: '09:00', closesAt: '10:00', defaultMinutes: 90 })
    expect(fieldsOf(tooLong.json())).toEqual({ defaultMinutes: 'is longer than the 60 minutes the resource is open' })
    expect(await prisma.resource.count({ where: { tenantId } })).toBe(0)

    // Booking commands find a resource by name or alias, so no word may name two.
    const room = (await admin.post(`/tenants/${tenantId}/resources`, { name: '会议室A', aliases: ['A会议室'] })).json()
    const clash = await admin.post(`/tenants/${tenantId}/resources`, { name: 'a会议室', aliases: ['会议室a', '小会议室', '小会议室'] })
    expect(clash.statusCode).toBe(400)
    expect(fieldsOf(clash.json())).toEqual({ name: 'is already an alias of 会议室A', 'aliases.0': 'already names 会议室A' })
    const sameName = await admin.post(`/tenants/${tenantId}/resources`, { name: '会议室A' })
    expect(sameName.statusCode).toBe(409)
    expect(sameName.json().error).toContain('会议室A')

    // An edit is checked against the row it changes: opening after the stored closing is refused.
    const lateOpening = await admin.patch(`/tenants/${tenantId}/resources/${room.id}`, { opensAt: '23:00' })
    expect(lateOpening.statusCode).toBe(400)
    expect(fieldsOf(lateOpening.json())).toEqual({ closesAt: 'must be after the opening time 23:00' })
    expect(fieldsOf((await admin.patch(`/tenants/${tenantId}/resources/${room.id}`, {})).json())).toEqual({ body: 'names nothing to change' })
    expect(await prisma.resource.findUniqueOrThrow({ where: { id: room.id } })).toMatchObject({ opensAt: '08:00', aliases: ['A会议室'] })
  })

  it('never reaches into another tenant: its resource is a 404 for every write, and missing tenants are 404 too', async () => {
    const tenantId = await createTenant(env, '资源本家物业')
    const otherTenant = await createTenant(env, '资源别家物业')
    const theirs = (await admin.post(`/tenants/${otherTenant}/resources`, { name: '会议室A', capacity: 3 })).json()
    // The same name is free in another tenant.
    const ours = await admin.post(`/tenants/${tenantId}/resources`, { name: '会议室A' })
    expect(ours.statusCode).toBe(201)

    for (const response of [
      await admin.patch(`/tenants/${tenantId}/resources/${theirs.id}`, { capacity: 1 }),
      await admin.post(`/tenants/${tenantId}/resources/${theirs.id}/deactivate`),
      await admin.post(`/tenants/${tenantId}/resources/${theirs.id}/activate`),
      await admin.patch(`/tenants/${tenantId}/resources/no-such-id`, { capacity: 1 }),
    ]) {
      expect(response.statusCode).toBe(404)
      expect(response.json().error).toBe('resource not found')
    }
    expect(await prisma.resource.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({ capacity: 3, active: true })
    expect((await admin.get(`/tenants/${tenantId}/resources`)).json().map((r: { id: string }) => r.id)).toEqual([ours.json().id])
    expect((await admin.get('/tenants/no-such-tenant/resources')).statusCode).toBe(404)
    expect((await admin.post('/tenants/no-such-tenant/resources', { name: '会议室B' })).statusCode).toBe(404)
    expect(await auditActions(env, otherTenant)).toEqual(['tenant.create', 'resource.create'])
  })

  it('what the admin sets is what the chat books by: a new alias, the minimum notice, and deactivation', async () => {
    const tenantId = world.demo.tenantId
    const desk = consoleGroup(env, world.group('front_desk'))
    const agent = world.member('agent')
    const created = await admin.post(`/tenants/${tenantId}/resources`, { name: '网球场', aliases: ['网球'], kind: 'court', opensAt: '07:00', closesAt: '21:00', slotMinutes: 60, priceCents: 5000 })
    expect(created.statusCode).toBe(201)
    const court = created.json()
    expect(await desk.say(agent, '资源')).toContain('网球场')
    expect(await desk.say(agent, '预约 网球 明天下午2点到3点 张先生')).toMatch(/已登记预约#\d+[\s\S]*网球场/)

    expect((await admin.patch(`/tenants/${tenantId}/resources/${court.id}`, { minNoticeMinutes: 3 * 24 * 60 })).statusCode).toBe(200)
    expect(await desk.say(agent, '预约 网球场 明天下午4点到5点 李女士')).toContain('网球场 需要至少提前 72 小时预约')

    expect((await admin.post(`/tenants/${tenantId}/resources/${court.id}/deactivate`)).statusCode).toBe(200)
    expect(await desk.say(agent, '资源')).not.toContain('网球场')
    expect(await desk.say(agent, '预约 网球场 十天后下午4点到5点 李女士')).toContain('没有找到可预约的「网球场」')
    // The booking made before stays.
    expect(await prisma.booking.count({ where: { resourceId: court.id, status: 'unconfirmed' } })).toBe(1)
  })
})
