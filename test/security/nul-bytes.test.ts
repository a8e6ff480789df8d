import { describe, expect, it } from 'vitest'
import { setupTestEnv } from '../support/harness.ts'
import { adminClient } from '../admin/helpers.ts'

const env = await setupTestEnv()
const admin = adminClient(env)

describe('NUL bytes in a request', () => {
  it('are refused with a 400 that names each field, in the body, its keys, the path and the query', async () => {
    const body = await admin.post('/tenants', { name: '阳光\u0000物业', businessHours: { days: [1], start: '09:00', ['e\u0000nd']: '18:00' } })
    expect(body.statusCode).toBe(400)
    expect(body.json().fields.map((f: { field: string }) => f.field).sort()).toEqual(['body.businessHours.e\\0nd', 'body.name'])

    const path = await admin.get('/tenants/abc%00def')
    expect(path.statusCode).toBe(400)
    expect(path.json().fields).toEqual([{ field: 'path.tenantId', message: 'must not contain a NUL character' }])

    const query = await admin.get('/tenants?cursor=%00')
    expect(query.statusCode).toBe(400)
    expect(query.json().fields.map((f: { field: string }) => f.field)).toEqual(['query.cursor'])
  })

  it('let a request without one through untouched', async () => {
    const created = await admin.post('/tenants', { name: '无空字符物业', businessHours: { days: [1, 2], start: '09:00', end: '18:00' } })
    expect(created.statusCode).toBe(201)
    expect((await admin.get(`/tenants/${created.json().id}`)).json().name).toBe('无空字符物业')
  })
})
