import type { AppContext } from '../context.ts'
import type { PrismaClient } from '../generated/prisma/client.ts'
import type { Notification } from '../domain/notifications.ts'
import { queueStored, type StoredOutgoing } from './outbox.ts'

/** The client or a transaction: the messages are stored together with what caused them. */
export type NotifyDb = Pick<PrismaClient, '$queryRaw' | 'outgoingMessage'>

/**
 * Queues what the domain wants said, in the tenant's groups. A notification for a purpose goes to
 * every group of the tenant with that purpose; when the tenant has none, it falls back to the
 * front-desk groups so that nothing is silently dropped, and is logged if there is no group at all.
 * Notifications already stored with their cause only need their jobs.
 */
export async function deliverNotifications(ctx: AppContext, notifications: Notification[]): Promise<void> {
  const rows = notifications.flatMap((n) => storedRows.get(n) ?? [])
  const unstored = notifications.filter((n) => !storedRows.has(n))
  if (unstored.length) {
    const stored = await storeForTargets(ctx.prisma, unstored)
    for (const notification of unstored) {
      const own = stored.get(notification) ?? []
      if (!own.length) ctx.log.error({ tenantId: notification.tenantId, key: notification.key }, 'no group to deliver a notification to')
      rows.push(...own)
    }
  }
  for (const row of rows) await queueStored(ctx, row)
}

/** The rows storeNotifications wrote for each notification, so delivery after commit does not look them up again. */
const storedRows = new WeakMap<Notification, StoredOutgoing[]>()

/**
 * Stores the messages only, inside the transaction that caused them, so they exist exactly when
 * their cause does; deliverNotifications after commit (same objects) or reconciliation queues them.
 */
export async function storeNotifications(db: NotifyDb, notifications: Notification[]): Promise<void> {
  if (!notifications.length) return
  const stored = await storeForTargets(db, notifications)
  for (const notification of notifications) storedRows.set(notification, stored.get(notification) ?? [])
}

/** Notifications for a command typed in `groupId`, less those to that group: the reply says it there. */
export function exceptGroup(notifications: Notification[], groupId: string | null | undefined): Notification[] {
  return notifications.filter((n) => !(groupId && n.target.kind === 'group' && n.target.groupId === groupId))
}

interface TargetRow {
  ord: number
  idempotencyKey: string
  id: string | null
  status: string | null
}

/**
 * Finds each notification's groups and stores one message per group in ONE statement (a lookup
 * and an insert per firing were two round trips on the reminders' hot path). The key is
 * `<notification key>:<group id>`, so a retry finds the rows it stored before instead of adding
 * more. A console group is addressed by its id, any other by its chat id. Returns the rows of each
 * notification, its groups in the order they were created; none when the tenant has no group.
 */
async function storeForTargets(db: NotifyDb, notifications: Notification[]): Promise<Map<Notification, StoredOutgoing[]>> {
  const wanted = notifications.map((n, ord) => ({
    ord,
    tenantId: n.tenantId,
    groupId: n.target.kind === 'group' ? n.target.groupId : null,
    purpose: n.target.kind === 'purpose' ? n.target.purpose : null,
    key: n.key,
    payload: n.reply,
  }))
  // The final SELECT sees the table as it was before the INSERT: a key it finds there was stored by an earlier try.
  const rows = await db.$queryRaw<TargetRow[]>`
    WITH wanted AS (
      SELECT * FROM jsonb_to_recordset(${JSON.stringify(wanted)}::jsonb)
        AS w(ord int, "tenantId" text, "groupId" text, purpose "GroupPurpose", key text, payload jsonb)),
    targets AS (
      SELECT w.ord, w.key || ':' || g.id AS "idempotencyKey", w.payload, g."tenantId", g.id AS "groupId", g."connectionId", g.platform,
        CASE WHEN g.platform = 'console' THEN g.id ELSE g."externalId" END AS destination, g."createdAt"
      FROM wanted w
      JOIN "ChatGroup" g ON g."tenantId" = w."tenantId" AND CASE
        WHEN w."groupId" IS NOT NULL THEN g.id = w."groupId"
        WHEN EXISTS (SELECT 1 FROM "ChatGroup" p WHERE p."tenantId" = w."tenantId" AND p.purpose = w.purpose) THEN g.purpose = w.purpose
        ELSE g.purpose = 'front_desk' END),
    stored AS (
      INSERT INTO "OutgoingMessage" ("id", "tenantId", "connectionId", "groupId", "platform", "destination", "payload", "idempotencyKey", "updatedAt")
      SELECT gen_random_uuid()::text, "tenantId", "connectionId", "groupId", platform, destination, payload, "idempotencyKey", now()
      FROM targets ORDER BY ord, "createdAt"
      ON CONFLICT ("idempotencyKey") DO NOTHING
      RETURNING "id", "status"::text AS status, "idempotencyKey")
    SELECT t.ord, t."idempotencyKey", coalesce(s.id, m.id) AS id, coalesce(s.status, m.status::text) AS status
    FROM targets t
    LEFT JOIN stored s ON s."idempotencyKey" = t."idempotencyKey"
    LEFT JOIN "OutgoingMessage" m ON s.id IS NULL AND m."idempotencyKey" = t."idempotencyKey"
    ORDER BY t.ord, t."createdAt", t."groupId"`
  const found = await rowsStoredMeanwhile(db, rows)
  const byNotification = new Map<Notification, StoredOutgoing[]>()
  for (const row of rows) {
    const stored = row.id && row.status ? { id: row.id, status: row.status, idempotencyKey: row.idempotencyKey } : found.get(row.idempotencyKey)
    if (!stored) throw new Error(`outgoing message ${row.idempotencyKey} was neither stored nor found`)
    const notification = notifications[row.ord]
    byNotification.set(notification, [...(byNotification.get(notification) ?? []), stored])
  }
  return byNotification
}

/** A concurrent try that committed the same key after this statement began: read its row now. */
async function rowsStoredMeanwhile(db: NotifyDb, rows: TargetRow[]): Promise<Map<string, StoredOutgoing>> {
  const keys = rows.filter((row) => !row.id).map((row) => row.idempotencyKey)
  if (!keys.length) return new Map()
  const found = await db.outgoingMessage.findMany({ where: { idempotencyKey: { in: keys } }, select: { id: true, status: true, idempotencyKey: true } })
  return new Map(found.map((row) => [row.idempotencyKey, row]))
}
