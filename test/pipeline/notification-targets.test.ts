import { describe, expect, it } from 'vitest'
import type { Notification } from '../../src/domain/notifications.ts'
import { storeNotifications } from '../../src/outbox/notify.ts'
import { setupTestEnv } from '../support/harness.ts'

/**
 * A notification is stored as one message per target group, in the statement that finds the
 * groups: these check who gets it (purpose, fallback to the front desk, a bound group, nobody),
 * how each is addressed, and that storing again (a retried firing) adds nothing.
 */
for (const database of ['postgres', 'pglite'] as const) {
  describe(`notifications stored for their groups (${database})`, async () => {
    const env = await setupTestEnv({}, { database })
    const { prisma } = env.ctx
    const withMaintenance = await prisma.tenant.create({ data: { name: '有维修群的物业' } })
    const frontDeskOnly = await prisma.tenant.create({ data: { name: '只有前台群的物业' } })
    const noGroups = await prisma.tenant.create({ data: { name: '没有群的物业' } })
    const group = (tenantId: string, purpose: 'front_desk' | 'maintenance', platform: 'console' | 'lark', externalId: string, createdAt: Date) =>
      prisma.chatGroup.create({ data: { tenantId, purpose, platform, externalId, name: externalId, createdAt } })
    const first = await group(withMaintenance.id, 'maintenance', 'lark', 'oc_first', new Date('2026-01-01T00:00:00Z'))
    const second = await group(withMaintenance.id, 'maintenance', 'console', 'console-second', new Date('2026-01-02T00:00:00Z'))
    const desk = await group(withMaintenance.id, 'front_desk', 'lark', 'oc_desk', new Date('2026-01-03T00:00:00Z'))
    const fallback = await group(frontDeskOnly.id, 'front_desk', 'lark', 'oc_fallback', new Date('2026-01-01T00:00:00Z'))

    const reply = (text: string) => ({ lines: [text] }) as unknown as Notification['reply']
    const notification = (tenantId: string, target: Notification['target'], key: string): Notification => ({ tenantId, target, key, reply: reply(key) })
    const messagesOf = (key: string) =>
      prisma.outgoingMessage.findMany({ where: { idempotencyKey: { startsWith: `${key}:` } }, orderBy: { idempotencyKey: 'asc' } })

    it('goes to every group of its purpose, a console group by id and any other by chat id, with the reply as payload', async () => {
      await prisma.$transaction((tx) => storeNotifications(tx, [notification(withMaintenance.id, { kind: 'purpose', purpose: 'maintenance' }, 'k1')]))
      const rows = await messagesOf('k1')
      expect(rows.map((r) => [r.groupId, r.platform, r.destination, r.status]).sort()).toEqual(
        [
          [first.id, 'lark', 'oc_first', 'pending'],
          [second.id, 'console', second.id, 'pending'],
        ].sort(),
      )
      expect(rows.every((r) => JSON.stringify(r.payload) === JSON.stringify({ lines: ['k1'] }))).toBe(true)
      expect(rows.every((r) => r.idempotencyKey === `k1:${r.groupId}` && r.tenantId === withMaintenance.id)).toBe(true)
    })

    it('falls back to the front desk when the tenant has no group of that purpose, and reaches only a bound group of its own tenant', async () => {
      await storeNotifications(prisma, [
        notification(frontDeskOnly.id, { kind: 'purpose', purpose: 'maintenance' }, 'k2'),
        notification(withMaintenance.id, { kind: 'group', groupId: desk.id }, 'k3'),
        notification(frontDeskOnly.id, { kind: 'group', groupId: desk.id }, 'k4'),
        notification(noGroups.id, { kind: 'purpose', purpose: 'maintenance' }, 'k5'),
      ])
      expect((await messagesOf('k2')).map((r) => r.groupId)).toEqual([fallback.id])
      expect((await messagesOf('k3')).map((r) => r.groupId)).toEqual([desk.id])
      expect(await messagesOf('k4')).toEqual([])
      expect(await messagesOf('k5')).toEqual([])
    })

    it('stored again under the same key, keeps the rows it has and adds none', async () => {
      const before = await messagesOf('k1')
      await prisma.outgoingMessage.update({ where: { id: before[0].id }, data: { status: 'delivered' } })
      await storeNotifications(prisma, [notification(withMaintenance.id, { kind: 'purpose', purpose: 'maintenance' }, 'k1')])
      const after = await messagesOf('k1')
      expect(after.map((r) => [r.id, r.status])).toEqual(before.map((r, i) => [r.id, i === 0 ? 'delivered' : 'pending']))
    })
  })
}
