import { batcherPerOwner } from '../batcher.ts'
import type { AppContext } from '../context.ts'
import { fromJsonRow, type DateFields } from '../db/json-rows.ts'
import type { ChatGroup, OutgoingMessage, PlatformConnection } from '../generated/prisma/client.ts'

/** An outgoing message with the group and connection it goes through, as the sender needs them. */
export interface DeliveryRows {
  message: OutgoingMessage
  group: ChatGroup | null
  connection: PlatformConnection | null
}

// Every DateTime column of each model (the compiler refuses a missing or unknown one): to_jsonb
// writes them as ISO strings, and the senders get Dates, as Prisma would give them.
const messageDates: Record<DateFields<OutgoingMessage>, true> = { deliveredAt: true, createdAt: true, updatedAt: true }
const groupDates: Record<DateFields<ChatGroup>, true> = { lastInboundAt: true, lastOutboundAt: true, createdAt: true }
const connectionDates: Record<DateFields<PlatformConnection>, true> = { createdAt: true, disabledAt: true }

/**
 * The messages, their groups and their connections in one statement (Prisma's include sends one
 * SELECT per relation); a message that does not exist is left out. The ids are looked up with
 * = ANY(ARRAY(...)), as the marks below are: joined as a set, this prepared statement averaged
 * 143 ms a read in the full bench while the table grew; with ANY none took over 80 ms.
 */
async function readManyDeliveryRows(ctx: AppContext, ids: string[]): Promise<(DeliveryRows | null)[]> {
  const rows = await ctx.db.sql.query<{ message: Record<string, unknown>; group: Record<string, unknown> | null; connection: Record<string, unknown> | null }>(
    `SELECT to_jsonb(m) AS message, to_jsonb(g) AS "group", to_jsonb(c) AS connection
     FROM "OutgoingMessage" m
     LEFT JOIN "ChatGroup" g ON g.id = m."groupId"
     LEFT JOIN "PlatformConnection" c ON c.id = m."connectionId"
     WHERE m.id = ANY (ARRAY(SELECT jsonb_array_elements_text($1::jsonb)))`,
    [JSON.stringify(ids)],
    { name: 'outbox-read-deliveries' },
  )
  const byId = new Map<unknown, DeliveryRows>()
  for (const row of rows) {
    byId.set(row.message.id, {
      message: fromJsonRow<OutgoingMessage>(row.message, messageDates),
      group: row.group && fromJsonRow<ChatGroup>(row.group, groupDates),
      connection: row.connection && fromJsonRow<PlatformConnection>(row.connection, connectionDates),
    })
  }
  return ids.map((id) => byId.get(id) ?? null)
}

/** Deliveries starting together read their rows in one statement, as they are marked (below). */
const readBatched = batcherPerOwner(readManyDeliveryRows, { maxItems: 64, maxInFlight: 4, eagerFlushes: 2, minItemsWhileBusy: 8 })

/** The message with its group and connection, or null when the message does not exist. */
export const readDeliveryRows = (ctx: AppContext, id: string): Promise<DeliveryRows | null> => readBatched(ctx, id)

/**
 * Marks messages delivered, counting the attempt, and in the same statement their groups'
 * lastOutboundAt. A busy group's row would otherwise be written by every delivery (a hot row)
 * while the admin page only needs it to the minute: it moves at most once a minute, and a group
 * another mark is moving just then is skipped (SKIP LOCKED), so two marks never wait on each other.
 */
async function markManyDelivered(ctx: AppContext, marks: { id: string; at: Date }[]): Promise<void[]> {
  await ctx.db.sql.query(
    `WITH marks AS MATERIALIZED (SELECT * FROM jsonb_to_recordset($1::jsonb) AS d(id text, at timestamptz)),
     delivered AS (
       UPDATE "OutgoingMessage" m SET status = 'delivered', attempts = attempts + 1, "deliveredAt" = d.at, "lastError" = NULL, "updatedAt" = d.at
       FROM marks d
       WHERE m.id = ANY (ARRAY(SELECT id FROM marks)) AND m.id = d.id RETURNING m."groupId", d.at),
     stale AS (
       SELECT g.id, max(d.at) AS at FROM "ChatGroup" g JOIN delivered d ON d."groupId" = g.id
       WHERE g."lastOutboundAt" IS NULL OR g."lastOutboundAt" < d.at - interval '1 minute'
       GROUP BY g.id),
     locked AS (
       SELECT g.id FROM "ChatGroup" g WHERE g.id IN (SELECT id FROM stale) ORDER BY g.id FOR UPDATE SKIP LOCKED)
     UPDATE "ChatGroup" g SET "lastOutboundAt" = s.at FROM stale s, locked l WHERE g.id = s.id AND l.id = s.id`,
    [JSON.stringify(marks)],
    { name: 'outbox-mark-delivered' },
  )
  return marks.map(() => undefined)
}

/**
 * Deliveries finishing together are marked in one statement (group commit, src/batcher.ts): when
 * thousands of reminders go out at once, a commit per delivery was a WAL flush per message.
 */
const markBatched = batcherPerOwner(markManyDelivered, { maxItems: 64, maxInFlight: 4, eagerFlushes: 2, minItemsWhileBusy: 8 })

export const markDelivered = (ctx: AppContext, id: string, at: Date): Promise<void> => markBatched(ctx, { id, at })

/**
 * A try that did not deliver: back to pending (retried, or delayed when throttled) or dead,
 * counting the attempt.
 */
export async function markTried(ctx: AppContext, id: string, outcome: { status: 'pending' | 'dead'; lastError: string }): Promise<void> {
  await ctx.db.sql.query(
    `UPDATE "OutgoingMessage" SET status = $2::"OutgoingStatus", "deadLetter" = ($2 = 'dead'), attempts = attempts + 1, "lastError" = $3, "updatedAt" = now()
     WHERE id = $1`,
    [id, outcome.status, outcome.lastError],
    { name: 'outbox-mark-tried' },
  )
}
