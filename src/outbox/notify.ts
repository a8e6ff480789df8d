import type { AppContext } from '../context.ts'
import type { ChatGroup } from '../generated/prisma/client.ts'
import type { Notification } from '../domain/notifications.ts'
import { queueStored, storeOutgoingMany, type Db, type OutgoingDraft, type StoredOutgoing } from './outbox.ts'

/**
 * Queues what the domain wants said, in the tenant's groups. A notification for a purpose goes to
 * every group of the tenant with that purpose; when the tenant has none, it falls back to the
 * front-desk groups so that nothing is silently dropped, and is logged if there is no group at all.
 * Notifications already stored with their cause only need their jobs.
 */
export async function deliverNotifications(ctx: AppContext, notifications: Notification[]): Promise<void> {
  const rows = notifications.flatMap((n) => storedRows.get(n) ?? [])
  const unstored = notifications.filter((n) => !storedRows.has(n))
  if (unstored.length) rows.push(...(await storeOutgoingMany(ctx.prisma, await draftsFor(ctx.prisma, unstored, ctx))))
  for (const row of rows) await queueStored(ctx, row)
}

/** The rows storeNotifications wrote for each notification, so delivery after commit does not look them up again. */
const storedRows = new WeakMap<Notification, StoredOutgoing[]>()

/**
 * Stores the messages only, inside the transaction that caused them, so they exist exactly when
 * their cause does; deliverNotifications after commit (same objects) or reconciliation queues them.
 */
export async function storeNotifications(db: Db, notifications: Notification[]): Promise<void> {
  const drafts = await draftsFor(db, notifications)
  const rows = await storeOutgoingMany(db, drafts)
  for (const notification of notifications) {
    storedRows.set(notification, rows.filter((_, i) => drafts[i].notification === notification))
  }
}

/** Notifications for a command typed in `groupId`, less those to that group: the reply says it there. */
export function exceptGroup(notifications: Notification[], groupId: string | null | undefined): Notification[] {
  return notifications.filter((n) => !(groupId && n.target.kind === 'group' && n.target.groupId === groupId))
}

async function draftsFor(db: Db, notifications: Notification[], ctx?: AppContext): Promise<(OutgoingDraft & { notification: Notification })[]> {
  const drafts: (OutgoingDraft & { notification: Notification })[] = []
  for (const notification of notifications) {
    const groups = await targetGroups(db, notification)
    if (!groups.length) ctx?.log.error({ tenantId: notification.tenantId, key: notification.key }, 'no group to deliver a notification to')
    for (const group of groups) {
      drafts.push({
        notification,
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
  return drafts
}

async function targetGroups(db: Db, notification: Notification): Promise<ChatGroup[]> {
  const { tenantId, target } = notification
  if (target.kind === 'group') return db.chatGroup.findMany({ where: { id: target.groupId, tenantId } })
  const groups = await db.chatGroup.findMany({ where: { tenantId, purpose: target.purpose }, orderBy: { createdAt: 'asc' } })
  if (groups.length) return groups
  return db.chatGroup.findMany({ where: { tenantId, purpose: 'front_desk' }, orderBy: { createdAt: 'asc' } })
}

/** A push (not a reply) is addressed by chat id; the console by group id. */
function destinationOf(group: ChatGroup): string {
  return group.platform === 'console' ? group.id : group.externalId
}
