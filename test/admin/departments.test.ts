import { describe, expect, it } from 'vitest'
import { setupTestEnv } from '../support/harness.ts'
import { adminClient, auditActions, createTenant } from './helpers.ts'

const env = await setupTestEnv()
const admin = adminClient(env)
const prisma = env.ctx.prisma
const fieldsOf = (body: { fields: { field: string; message: string }[] }) => Object.fromEntries(body.fields.map((f) => [f.field, f.message]))

async function staff(tenantId: string, name: string) {
  const response = await admin.post(`/tenants/${tenantId}/members`, { platform: 'wecom', externalUserId: `u-${name}`, name, roles: ['technician'] })
  expect(response.statusCode).toBe(201)
  return response.json().id as string
}

async function group(tenantId: string, externalId: string) {
  return (await prisma.chatGroup.create({ data: { tenantId, platform: 'wecom', externalId, name: externalId, purpose: 'maintenance' } })).id
}

describe('departments in the admin API', () => {
  it('creates a department with aliases, heads, its group and limits per complaint kind, then edits and deletes it', async () => {
    const tenantId = await createTenant(env, '部门物业')
    const head = await staff(tenantId, '张师傅')
    const deputy = await staff(tenantId, '李师傅')
    const groupId = await group(tenantId, 'wr-dept-eng')

    const created = await admin.post(`/tenants/${tenantId}/departments`, {
      name: '工程部',
      aliases: ['工程', '维修部', '工程'],
      headIds: [head],
      groupId,
      limitHours: { effective: 4 },
    })
    expect(created.statusCode).toBe(201)
    const department = created.json()
    expect(department).toMatchObject({ name: '工程部', aliases: ['工程', '维修部'], headIds: [head], groupId, limitHours: { effective: 4 } })

    const edited = await admin.patch(`/departments/${department.id}`, { headIds: [deputy, head], limitHours: { effective: 6, communication: 2 }, groupId: null })
    expect(edited.statusCode).toBe(200)
    expect(edited.json()).toMatchObject({ headIds: [deputy, head], limitHours: { effective: 6, communication: 2 }, groupId: null })

    const listed = await admin.get(`/tenants/${tenantId}/departments`)
    expect(listed.json()).toEqual([expect.objectContaining({ id: department.id, name: '工程部', headIds: [deputy, head] })])

    expect((await admin.delete(`/departments/${department.id}`)).statusCode).toBe(204)
    expect(await prisma.department.count({ where: { tenantId } })).toBe(0)
    expect(await auditActions(env, tenantId)).toEqual(expect.arrayContaining(['department.create', 'department.update', 'department.delete']))
  })

  it('refuses bad departments field by field, and never reaches into another tenant', async () => {
    const tenantId = await createTenant(env, '部门校验物业')
    const otherTenant = await createTenant(env, '别家物业')
    const stranger = await staff(otherTenant, '外人')
    const strangersGroup = await group(otherTenant, 'wr-dept-other')
    const gone = await staff(tenantId, '离职师傅')
    await admin.post(`/members/${gone}/deactivate`)

    const bad = await admin.post(`/tenants/${tenantId}/departments`, {
      name: '工程部',
      headIds: [stranger, gone],
      groupId: strangersGroup,
      limitHours: { effective: 0, communication: 'soon' },
    })
    expect(bad.statusCode).toBe(400)
    const fields = fieldsOf(bad.json())
    expect(Object.keys(fields)).toEqual(expect.arrayContaining(['limitHours.effective', 'limitHours.communication']))
    expect(fields['limitHours.effective']).toContain('more than 0 hours')

    const refused = await admin.post(`/tenants/${tenantId}/departments`, { name: '工程部', headIds: [stranger, gone], groupId: strangersGroup })
    expect(refused.statusCode).toBe(400)
    expect(fieldsOf(refused.json())).toEqual({
      'headIds.0': 'no such member for this tenant',
      'headIds.1': 'is deactivated; activate the member first',
      groupId: 'no such group for this tenant',
    })

    const unknownKind = await admin.post(`/tenants/${tenantId}/departments`, { name: '保安部', limitHours: { urgent: 2 } })
    expect(unknownKind.statusCode).toBe(400)
    expect(JSON.stringify(unknownKind.json())).toContain('limitHours')

    const spaced = await admin.post(`/tenants/${tenantId}/departments`, { name: '工程 部' })
    expect(fieldsOf(spaced.json()).name).toContain('one word')

    expect((await admin.post(`/tenants/${tenantId}/departments`, { name: '工程部', aliases: ['工程'] })).statusCode).toBe(201)
    const twice = await admin.post(`/tenants/${tenantId}/departments`, { name: '工程部' })
    expect(twice.statusCode).toBe(409)
    expect(twice.json().error).toContain('工程部')
    // 转交 #N 工程 must find exactly one department.
    const sameAlias = await admin.post(`/tenants/${tenantId}/departments`, { name: '维修部', aliases: ['工程'] })
    expect(sameAlias.statusCode).toBe(400)
    expect(fieldsOf(sameAlias.json())['aliases.0']).toBe('already names 工程部')

    expect((await admin.patch('/departments/nope', { name: 'x' })).statusCode).toBe(404)
    expect((await admin.get('/tenants/nope/departments')).statusCode).toBe(404)
    expect(await prisma.department.count({ where: { tenantId } })).toBe(1)
  })
})
