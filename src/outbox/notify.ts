import type { AppContext } from '../context.ts'
import type { ChatGroup } from '../generated/prisma/client.ts'
import type { Notification } from '../domain/notifications.ts'
import { enqueueOutgoing } from './outbox.ts'

/**
 * Queues what the domain wants said, in the tenant's groups. A notification for a purpose goes to
 * every group of the tenant with that purpose; when the tenant has none, it falls back to the
 * front-desk groups so that nothing is silently dropped, and is logged if there is no group at all.
 */
export async function deliverNotifications(ctx: AppContext, notifications: Notification[]): Promise<void> {
  for (const notification of notifications) {
    const groups = await targetGroups(ctx, notification)
    if (!groups.length) {
      ctx.log.error({ tenantId: notification.tenantId, key: notification.key }, 'no group to deliver a notification to')
      continue
    }
    for (const group of groups) {
      await enqueueOutgoing(ctx, {
        tenantId: notification.tenantId,
        platform: group.platform,
        connectionId: group.connectionId,
        groupId: group.id,
        destination: destinationOf(group),
        reply: notification.reply,
        idempotencyKey: `${notification.key}:${group.id}`,
      })
    }
  }
}

async function targetGroups(ctx: AppContext, notification: Notification): Promise<ChatGroup[]> {
  const { tenantId, target } = notification
  if (target.kind === 'group') return ctx.prisma.chatGroup.findMany({ where: { id: target.groupId, tenantId } })
  const groups = await ctx.prisma.chatGroup.findMany({ where: { tenantId, purpose: target.purpose }, orderBy: { createdAt: 'asc' } })
  if (groups.length) return groups
  return ctx.prisma.chatGroup.findMany({ where: { tenantId, purpose: 'front_desk' }, orderBy: { createdAt: 'asc' } })
}

/** A push (not a reply) is addressed by chat id; the console by group id. */
function destinationOf(group: ChatGroup): string {
  return group.platform === 'console' ? group.id : group.externalId
}
