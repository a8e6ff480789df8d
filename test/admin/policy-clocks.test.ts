import { describe, expect, it } from 'vitest'
import { startDemoChat } from '../support/demo.ts'
import { setupTestEnv } from '../support/harness.ts'
import { adminClient } from './helpers.ts'

const env = await setupTestEnv()
// Tuesday 2030-01-08, 16:30 in Shanghai: an hour before the default close (every day 08:30–17:30).
const { world, tenantId, frontDesk } = await startDemoChat(env, new Date('2030-01-08T08:30:00Z'))
const admin = adminClient(env)
const agent = world.member('agent')
const fieldsOf = (body: { fields: { field: string }[] }) => body.fields.map((f) => f.field)

describe('policy.clocks through the admin API', () => {
  it('a limit set to the business clock counts only working hours; others stay on the wall', async () => {
    const saved = await admin.patch(`/tenants/${tenantId}`, { policy: { clocks: { resolve: { normal: 'business' } } } })
    expect(saved.statusCode, saved.body).toBe(200)
    const policy = (await admin.get(`/tenants/${tenantId}/policy`)).json()
    expect(policy.overrides).toEqual({ clocks: { resolve: { normal: 'business' } } })
    expect(policy.effective.clocks).toMatchObject({ onSite: 'wall', resolve: { normal: 'business', urgent: 'wall' } })

    const normal = Number((await frontDesk.say(agent, '报修 3-2-501 卫生间灯不亮 13800138000')).match(/#(\d+)/)?.[1])
    const urgent = Number((await frontDesk.say(agent, '报修 3-2-502 水管爆了 紧急 13800138001')).match(/#(\d+)/)?.[1])
    const ticketOf = (number: number) => env.ctx.prisma.ticket.findFirstOrThrow({ where: { tenantId, number } })
    // 48 working hours from Tue 16:30: 1 h on Tuesday, 9 h each Wednesday to Sunday (45), 2 h on Monday.
    expect((await ticketOf(normal)).resolveBy?.toISOString()).toBe('2030-01-14T02:30:00.000Z')
    // Urgent stays on the wall: 4 hours, into the night.
    expect((await ticketOf(urgent)).resolveBy?.toISOString()).toBe('2030-01-08T12:30:00.000Z')
  })

  it('refuses an unknown clock or limit, naming the field', async () => {
    const moon = await admin.patch(`/tenants/${tenantId}`, { policy: { clocks: { onSite: 'moon' } } })
    expect(moon.statusCode).toBe(400)
    expect(fieldsOf(moon.json())).toContain('policy.clocks.onSite')

    const medium = await admin.patch(`/tenants/${tenantId}`, { policy: { clocks: { resolve: { medium: 'wall' } } } })
    expect(medium.statusCode).toBe(400)
    expect(JSON.stringify(medium.json())).toContain('policy.clocks.resolve')

    const stray = await admin.patch(`/tenants/${tenantId}`, { policy: { clocks: { lunch: 'wall' } } })
    expect(stray.statusCode).toBe(400)
    expect(JSON.stringify(stray.json())).toContain('policy.clocks')

    // Nothing refused was stored.
    expect((await admin.get(`/tenants/${tenantId}/policy`)).json().overrides).toEqual({ clocks: { resolve: { normal: 'business' } } })
  })
})
