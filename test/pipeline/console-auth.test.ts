import { describe, expect, it } from 'vitest'
import { seedDemoTenant } from '../../src/admin/seed.ts'
import { setupTestEnv, TEST_ADMIN_TOKEN } from '../support/harness.ts'

const env = await setupTestEnv({ NODE_ENV: 'production' })
const demo = (await seedDemoTenant(env.ctx))!
const groupId = demo.groups[0].id
const memberId = demo.members[0].id

describe('the console in production', () => {
  it('refuses to let anyone without the admin token speak as a member', async () => {
    const anonymous = await env.app.inject({ method: 'POST', url: `/console/groups/${groupId}/messages`, payload: { memberId, text: '帮助' } })
    expect(anonymous.statusCode).toBe(401)
    const reading = await env.app.inject({ method: 'GET', url: `/console/groups/${groupId}/messages` })
    expect(reading.statusCode).toBe(401)
  })

  it('lets an admin use it', async () => {
    const response = await env.app.inject({
      method: 'POST',
      url: `/console/groups/${groupId}/messages`,
      payload: { memberId, text: '帮助' },
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    })
    expect(response.statusCode).toBe(202)
  })
})
