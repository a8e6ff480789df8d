import { describe, expect, it } from 'vitest'
import { startDemoChat } from '../support/demo.ts'
import { setupTestEnv } from '../support/harness.ts'
import { adminClient } from './helpers.ts'

const env = await setupTestEnv()
// Tuesday 2030-01-08, 10:00 in Shanghai.
const { world, tenantId, frontDesk } = await startDemoChat(env, new Date('2030-01-08T02:00:00Z'))
const admin = adminClient(env)
const agent = world.member('agent')
const fieldsOf = (body: { fields: { field: string }[] }) => body.fields.map((f) => f.field)
const ticketOf = (reply: string) => env.ctx.prisma.ticket.findFirstOrThrow({ where: { tenantId, number: Number(reply.match(/#(\d+)/)?.[1]) } })

const complaints = { limitHours: { communication: 2 }, recordWithinMinutes: 10, answerEscalationMinutes: 30, repeatWindowDays: 30 }

describe('policy.complaints through the admin API', () => {
  it('sets the complaint limits: handling hours per kind, the recording rule, the answer escalation and the repeat window', async () => {
    const saved = await admin.patch(`/tenants/${tenantId}`, { policy: { onSiteMinutes: 20, complaints } })
    expect(saved.statusCode, saved.body).toBe(200)
    const policy = (await admin.get(`/tenants/${tenantId}/policy`)).json()
    expect(policy.overrides).toEqual({ onSiteMinutes: 20, complaints })
    expect(policy.defaults.complaints).toMatchObject({ recordWithinMinutes: 30, limitHours: { effective: 24, communication: 4 }, answerEscalationMinutes: 60 })
    expect(policy.effective).toMatchObject({ onSiteMinutes: 20 })
    expect(policy.effective.complaints).toEqual({
      recordWithinMinutes: 10,
      limitHours: { effective: 24, communication: 2 },
      warningRatio: 0.8,
      answerEscalationMinutes: 30,
      repeatThreshold: 2,
      repeatWindowDays: 30,
    })

    // An enquiry received at 9:45 has 2 hours, from receipt; 15 minutes is past the 10-minute rule.
    const enquiry = await frontDesk.say(agent, '咨询 2-1-301 物业费怎么交 13733330001 收到 9:45')
    expect(enquiry).toContain('超过了 10 分钟的登记时限')
    const row = await ticketOf(enquiry)
    expect(row.recordedLate).toBe(true)
    expect(row.resolveBy?.toISOString()).toBe('2030-01-08T03:45:00.000Z')

    // An effective complaint keeps the default 24 hours; recorded 5 minutes after receipt, it is on time.
    const complaint = await frontDesk.say(agent, '投诉 3-2-501 楼上装修噪音太大 13912345678 收到 9:55')
    expect(complaint).not.toContain('登记时限')
    expect((await ticketOf(complaint)).resolveBy?.toISOString()).toBe('2030-01-09T01:55:00.000Z')
  })

  it('refuses unknown keys and impossible values field by field, keeps the repair rules checked, and stores nothing refused', async () => {
    const stray = await admin.patch(`/tenants/${tenantId}`, { policy: { complaints: { answerReminderHour: 17, limitHours: { major: 1 } } } })
    expect(stray.statusCode).toBe(400)
    expect(fieldsOf(stray.json())).toEqual(expect.arrayContaining(['policy.complaints.answerReminderHour', 'policy.complaints.limitHours.major']))

    const impossible = await admin.patch(`/tenants/${tenantId}`, {
      policy: { complaints: { limitHours: { effective: 0 }, recordWithinMinutes: -5, warningRatio: 1, answerEscalationMinutes: 'soon', repeatWindowDays: 1.5 } },
    })
    expect(impossible.statusCode).toBe(400)
    const fields = Object.fromEntries(impossible.json().fields.map((f: { field: string; message: string }) => [f.field, f.message]))
    expect(fields['policy.complaints.limitHours.effective']).toContain('more than 0 hours')
    expect(fields['policy.complaints.recordWithinMinutes']).toContain('more than 0 minutes')
    expect(fields['policy.complaints.warningRatio']).toContain('less than 1')
    expect(fields).toHaveProperty(['policy.complaints.answerEscalationMinutes'])
    expect(fields['policy.complaints.repeatWindowDays']).toContain('whole number')

    // The repair rule across two fields still holds next to complaints.
    const months = await admin.patch(`/tenants/${tenantId}`, { policy: { qualityFollowUpFromMonths: 3, qualityFollowUpToMonths: 2, complaints: { repeatWindowDays: 60 } } })
    expect(months.statusCode).toBe(400)
    expect(months.body).toContain('qualityFollowUpFromMonths must be before qualityFollowUpToMonths')

    expect((await admin.get(`/tenants/${tenantId}/policy`)).json().overrides).toEqual({ onSiteMinutes: 20, complaints })
  })
})
