import { describe, expect, it } from 'vitest'
import { consoleGroup } from '../support/conversation.ts'
import { setupTestEnv } from '../support/harness.ts'
import { deleteRedisPrefix } from '../support/services.ts'
import { sleep, waitFor } from '../support/wait.ts'
import { startWorkers } from '../support/worker-processes.ts'

const env = await setupTestEnv()
const prisma = env.ctx.prisma

// Two separate worker processes on this file's schema and Redis prefix, on the real clock; this
// process only serves the console and never runs a job.
await startWorkers(env, 2)

const MINUTE = 60_000
/**
 * The summary time is the first whole minute at least 40 s away (time to see the schedulers and
 * flush before it comes), and a fixed-offset zone (Etc/GMT-N is UTC+N) makes that minute 18:xx
 * there, so the local day cannot wrap while the test runs.
 */
const dueAt = new Date(Math.ceil((Date.now() + 40_000) / MINUTE) * MINUTE)
const offsetHours = ((18 - dueAt.getUTCHours() + 36) % 24) - 12
const timeZone = offsetHours === 0 ? 'UTC' : offsetHours > 0 ? `Etc/GMT-${offsetHours}` : `Etc/GMT+${-offsetHours}`
const local = new Date(dueAt.getTime() + offsetHours * 3600_000)
const pad = (n: number) => String(n).padStart(2, '0')
const summaryTime = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}`
const today = local.toISOString().slice(0, 10)
// A later time in the same zone that this test never reaches.
const laterTime = `${pad(local.getUTCHours() + 2)}:${pad(local.getUTCMinutes())}`

const purposes = ['front_desk', 'maintenance', 'management', 'customer_service'] as const
const scopeName = { front_desk: '前台', maintenance: '维修', management: '管理', customer_service: '客服' } as const

async function tenantWithGroups(name: string, count: number) {
  const tenant = await prisma.tenant.create({ data: { name, timeZone } })
  const groups = []
  for (let i = 0; i < count; i++) {
    const purpose = purposes[i % purposes.length]
    groups.push(await prisma.chatGroup.create({ data: { tenantId: tenant.id, platform: 'console', externalId: `${name}-${i}`, name: `${name}${i}`, purpose, summaryTime } }))
  }
  return { tenant, groups }
}

const first = await tenantWithGroups('日报演练物业', 4)
const second = await tenantWithGroups('日报演练酒店', 2)
const dueGroups = [...first.groups, ...second.groups]
// Same tenant, its own later time: nothing is due for it during the test.
const laterGroup = await prisma.chatGroup.create({
  data: { tenantId: first.tenant.id, platform: 'console', externalId: 'later', name: '晚报群', purpose: 'front_desk', summaryTime: laterTime },
})
// Something to count, so the figures come from the database and not only zeros.
await prisma.ticket.create({
  data: { tenantId: first.tenant.id, number: 1001, kind: 'repair', unit: '3-2-501', description: '厨房水管漏水', contactPhone: '13800138000', createdAt: new Date(dueAt.getTime() - 30 * MINUTE) },
})

const headingOf = (purpose: (typeof purposes)[number]) => new RegExp(`^【${scopeName[purpose]}日报 ${today}】`)

describe('daily summaries with two workers and a Redis flush before the summary time', () => {
  it('every group gets exactly one daily summary at its time, and its SummaryRun says so', async () => {
    const schedulerOf = (groupId: string) => env.ctx.queues.maintenance.getJobScheduler(`summary:daily:${groupId}`)
    // The workers' upkeep registers one scheduler per group at its own time and zone.
    for (const group of [...dueGroups, laterGroup]) {
      const scheduler = await waitFor(() => schedulerOf(group.id), { what: `the scheduler of ${group.name}`, timeoutMs: 20_000 })
      expect(scheduler).toMatchObject({ tz: timeZone, pattern: `${Number(group.summaryTime.slice(3))} ${Number(group.summaryTime.slice(0, 2))} * * *` })
    }

    // Redis loses this deployment's keys, schedulers and their next jobs included, well before the
    // summary time; the workers' upkeep (every 10 s) must rebuild them from the groups.
    expect(Date.now()).toBeLessThan(dueAt.getTime() - 15_000)
    await deleteRedisPrefix(env.prefix)
    expect(await schedulerOf(dueGroups[0].id)).toBeUndefined()

    const chats = dueGroups.map((group) => ({ group, chat: consoleGroup(env, group.id) }))
    for (const { group, chat } of chats) await chat.expectMessage(headingOf(group.purpose), Math.max(dueAt.getTime() - Date.now(), 0) + 45_000)
    // Both workers had every chance to post again.
    await sleep(5000)

    for (const { group, chat } of chats) {
      const summaries = (await chat.read()).filter((m) => !m.replyTo && /日报/.test(m.text))
      expect(summaries, `daily summaries in ${group.name}`).toHaveLength(1)
      // Not before the group's time.
      expect(new Date(summaries[0].at).getTime()).toBeGreaterThanOrEqual(dueAt.getTime())
      expect(summaries[0].text).not.toContain('13800138000')
    }
    const frontDesk = (await chats[0].chat.read()).find((m) => headingOf('front_desk').test(m.text))!
    expect(frontDesk.text).toContain('**报修** 新增 1(+1)')

    const runs = await prisma.summaryRun.findMany({ where: { forDate: today } })
    expect(runs.map((run) => run.groupId).sort()).toEqual(dueGroups.map((g) => g.id).sort())
    for (const run of runs) {
      expect(run.status).toBe('sent')
      const message = await prisma.outgoingMessage.findUniqueOrThrow({ where: { id: run.messageId! } })
      expect(message).toMatchObject({ groupId: run.groupId, status: 'delivered' })
    }
    // One stored message per group for the day, the one its SummaryRun names.
    const stored = await prisma.outgoingMessage.findMany({ where: { groupId: { in: dueGroups.map((g) => g.id) } } })
    const daily = stored.filter((m) => /日报/.test((m.payload as { heading?: string }).heading ?? ''))
    expect(daily.map((m) => m.id).sort()).toEqual(runs.map((run) => run.messageId).sort())

    // The group with a later time was left alone.
    expect(await prisma.summaryRun.count({ where: { groupId: laterGroup.id } })).toBe(0)
    expect(await consoleGroup(env, laterGroup.id).count(/日报/)).toBe(0)
  }, 180_000)
})
