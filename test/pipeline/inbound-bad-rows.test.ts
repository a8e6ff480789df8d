import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { BadInput } from '../../src/errors.ts'
import { acceptInbound, type InboundDelivery } from '../../src/inbox/accept.ts'
import { purgeHandledInbound } from '../../src/jobs/purge.ts'
import { setupTestEnv } from '../support/harness.ts'

const env = await setupTestEnv()
const prisma = env.ctx.prisma
const noisy = await prisma.tenant.create({ data: { name: '发乱码的租户' } })
const other = await prisma.tenant.create({ data: { name: '正常租户' } })

function delivery(tenantId: string, text: string, dedupeKey: string = randomUUID()): InboundDelivery {
  return {
    tenantId,
    platform: 'console',
    connectionId: null,
    dedupeKey,
    message: {
      platform: 'console',
      connectionId: null,
      chatId: 'chat-1',
      chatType: 'group',
      sender: { userId: 'u1', name: `名字\u0000` },
      text,
      mentions: [],
      messageId: randomUUID(),
      receivedAt: new Date().toISOString(),
    },
  }
}

describe('inbound deliveries the database cannot hold as sent', () => {
  it('are cleaned, and never fail the other deliveries they share a batch with', async () => {
    const bad = Array.from({ length: 10 }, (_, i) => delivery(noisy.id, `报修\u0000 ${i} 坏\uD800字`))
    const good = Array.from({ length: 300 }, (_, i) => delivery(other.id, `查 #${1000 + i}`))
    const results = await Promise.allSettled([...bad, ...good].map((d) => acceptInbound(env.ctx, d)))
    expect(results.filter((r) => r.status === 'fulfilled' && r.value === 'accepted')).toHaveLength(310)
    const stored = await prisma.inboundEvent.findMany({ where: { tenantId: noisy.id } })
    expect(stored).toHaveLength(10)
    const text = (stored[0].message as { text: string }).text
    expect(text).not.toContain('\u0000')
    expect(text).toContain('坏\uFFFD字')
    expect(await prisma.inboundEvent.count({ where: { tenantId: other.id } })).toBe(300)
  })

  it('refuse a NUL in a dedupe key as bad input (400), alone', async () => {
    const results = await Promise.allSettled([acceptInbound(env.ctx, delivery(other.id, '待办', 'key\u0000x')), acceptInbound(env.ctx, delivery(other.id, '待办'))])
    expect(results[0].status === 'rejected' && results[0].reason).toBeInstanceOf(BadInput)
    expect(results[1]).toEqual({ status: 'fulfilled', value: 'accepted' })
  })

  it('a row that fails the batch INSERT fails alone: the others are stored', async () => {
    // A tenant that no longer exists breaks the foreign key of its row only.
    const gone = randomUUID()
    const results = await Promise.allSettled([delivery(gone, '待办'), ...Array.from({ length: 20 }, () => delivery(other.id, '待办'))].map((d) => acceptInbound(env.ctx, d)))
    expect(results[0].status).toBe('rejected')
    expect(results.slice(1).every((r) => r.status === 'fulfilled' && r.value === 'accepted')).toBe(true)
  })
})

describe('purging handled inbound events', () => {
  it('deletes processed and failed events older than the retention, in batches, and keeps the rest', async () => {
    const tenant = await prisma.tenant.create({ data: { name: '清理测试' } })
    const old = new Date(Date.now() - (env.config.INBOUND_RETENTION_DAYS + 1) * 24 * 3600_000)
    await env.ctx.db.sql.query(
      `INSERT INTO "InboundEvent" (id, "tenantId", platform, "dedupeKey", status, message, "receivedAt")
       SELECT gen_random_uuid(), $1, 'console', 'purge-' || n, (CASE WHEN n % 2 = 0 THEN 'processed' ELSE 'failed' END)::"InboundStatus", '{}'::jsonb, $2
       FROM generate_series(1, 5200) AS n`,
      [tenant.id, old],
    )
    const keep = await prisma.inboundEvent.createManyAndReturn({
      data: [
        { tenantId: tenant.id, platform: 'console', dedupeKey: 'purge-old-but-pending', status: 'received', message: {}, receivedAt: old },
        { tenantId: tenant.id, platform: 'console', dedupeKey: 'purge-recent', status: 'processed', message: {}, receivedAt: new Date() },
      ],
    })
    expect(await purgeHandledInbound(env.ctx)).toBe(5200)
    const left = await prisma.inboundEvent.findMany({ where: { tenantId: tenant.id } })
    expect(left.map((e) => e.id).sort()).toEqual(keep.map((e) => e.id).sort())
  })
})
