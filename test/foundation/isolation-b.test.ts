import { describe, expect, it } from 'vitest'
import { setupTestEnv } from '../support/harness.ts'

// Two files doing the same thing at the same time: each must see only its own rows and keys.
const env = await setupTestEnv()

describe('test isolation (b)', () => {
  it('sees only the rows this file wrote', async () => {
    await env.ctx.prisma.tenant.createMany({ data: [{ name: 'isolation probe' }, { name: 'isolation probe b' }] })
    await new Promise((resolve) => setTimeout(resolve, 300))
    const names = (await env.ctx.prisma.tenant.findMany({ orderBy: { name: 'asc' } })).map((t) => t.name)
    expect(names).toEqual(['isolation probe', 'isolation probe b'])
  })

  it('sees only the Redis keys and jobs under its own prefix', async () => {
    await env.ctx.queues.maintenance.add('probe', { task: 'reconcile' }, { jobId: 'isolation-probe' })
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(await env.ctx.queues.maintenance.getJobCounts('waiting')).toEqual({ waiting: 1 })
    const [, keys] = await env.ctx.redis.scan('0', 'MATCH', 'fdtest_*:maintenance:isolation-probe', 'COUNT', 100000)
    expect(keys.filter((key) => key.startsWith(env.prefix))).toHaveLength(1)
  })
})
