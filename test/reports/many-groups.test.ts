import { afterAll, describe, expect, it } from 'vitest'
import { runGroupSummaries } from '../../src/jobs/summaries.ts'
import { startFakeLark } from '../support/fake-lark.ts'
import { setupTestEnv } from '../support/harness.ts'
import { createLarkSetup, larkCredentials, startTestWorkers } from '../support/pipeline.ts'
import { waitFor } from '../support/wait.ts'

const GROUPS = 1_000
// Lark's app-wide budget (platforms.md §3.9), enforced by the fake with 230020 as Lark does.
const APP_LIMIT = { perSecond: 50, perMinute: 1_000 }

const lark = await startFakeLark({ appId: larkCredentials.appId, appSecret: larkCredentials.appSecret, appRateLimit: APP_LIMIT })
afterAll(() => lark.close())
const env = await setupTestEnv({ LARK_API_BASE_URL: lark.url })
startTestWorkers(env)
const prisma = env.ctx.prisma
const { tenant, connection } = await createLarkSetup(env, { bindGroup: false })
await prisma.chatGroup.createMany({
  data: Array.from({ length: GROUPS }, (_, i) => ({
    tenantId: tenant.id,
    connectionId: connection.id,
    platform: 'lark' as const,
    externalId: `oc_many_${String(i).padStart(4, '0')}`,
    name: `前台${i}群`,
    purpose: 'front_desk' as const,
  })),
})
const groups = await prisma.chatGroup.findMany({ where: { tenantId: tenant.id }, select: { id: true } })

/** The most sends in any window of `ms` starting at a send. */
function busiestWindow(times: number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b)
  let most = 0
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[j] <= sorted[i] - ms) j++
    most = Math.max(most, i - j + 1)
  }
  return most
}

describe('a tenant with 1,000 Lark groups', () => {
  it('gets every daily summary once, never over the app-wide 50 a second or 1,000 a minute', { timeout: 240_000 }, async () => {
    const started = Date.now()
    const now = new Date('2030-03-06T10:00:00Z')
    // As the per-group schedulers fire at 18:00: all at once, a few at a time per worker.
    const queue = [...groups]
    const posted = await Promise.all(Array.from({ length: 8 }, async () => {
      let count = 0
      for (let g = queue.shift(); g; g = queue.shift()) count += await runGroupSummaries(env.ctx, { groupId: g.id, report: 'daily', now })
      return count
    }))
    expect(posted.reduce((a, b) => a + b, 0)).toBe(GROUPS)
    await waitFor(async () => (await prisma.outgoingMessage.count({ where: { tenantId: tenant.id, status: 'delivered' } })) === GROUPS, {
      what: 'all 1,000 summaries to be delivered',
      timeoutMs: 200_000,
      intervalMs: 500,
    })
    const seconds = (Date.now() - started) / 1000
    console.log(`1,000 Lark summaries stored and delivered in ${seconds.toFixed(1)} s (${(GROUPS / seconds).toFixed(1)} per second)`)

    const sent = lark.messages.filter((m) => m.receiveId?.startsWith('oc_many_'))
    expect(new Set(sent.map((m) => m.receiveId)).size).toBe(GROUPS)
    expect(sent).toHaveLength(GROUPS)
    expect(lark.throttled).toBe(0)
    expect(busiestWindow(sent.map((m) => m.at), 1000)).toBeLessThanOrEqual(APP_LIMIT.perSecond)
    expect(busiestWindow(sent.map((m) => m.at), 60_000)).toBeLessThanOrEqual(APP_LIMIT.perMinute)
    // One chart for the tenant's day, uploaded once for the app.
    expect(lark.images).toHaveLength(1)
  })
})
