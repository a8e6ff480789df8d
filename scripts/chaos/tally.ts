import type { FakeLark } from '../../test/support/fake-lark.ts'
import { query } from './infra.ts'
import type { ProbeCommand } from './world.ts'

/**
 * Counting what happened, by each probe item's unique tag: executed from the database (tickets,
 * reminder events), delivered from what the fake Lark received. An item is lost when it was not
 * executed or not delivered, doubled when either happened more than once.
 */
export interface Tally {
  sent: number
  executed: number
  delivered: number
  lost: number
  doubled: number
  /** What went wrong, item by item (a few examples each). */
  findings: string[]
}

interface ItemCount {
  id: string
  executed: number
  delivered: number
}

function summarise(items: ItemCount[], explain: (item: ItemCount) => Promise<string>): Promise<Tally> {
  const lost = items.filter((i) => i.executed === 0 || i.delivered === 0)
  const doubled = items.filter((i) => i.executed > 1 || i.delivered > 1)
  return (async () => {
    const findings: string[] = []
    for (const item of lost.slice(0, 5)) findings.push(`lost ${item.id}: executed ${item.executed}, delivered ${item.delivered}; ${await explain(item)}`)
    if (lost.length > 5) findings.push(`… and ${lost.length - 5} more lost`)
    for (const item of doubled.slice(0, 5)) findings.push(`doubled ${item.id}: executed ${item.executed}, delivered ${item.delivered}`)
    if (doubled.length > 5) findings.push(`… and ${doubled.length - 5} more doubled`)
    return {
      sent: items.length,
      executed: items.reduce((sum, i) => sum + i.executed, 0),
      delivered: items.reduce((sum, i) => sum + i.delivered, 0),
      lost: lost.length,
      doubled: doubled.length,
      findings,
    }
  })()
}

const TAG = /probe-[a-z0-9]+-\d+/g

/** Chat commands: a ticket each (by the tag in its description), a reply each in its Lark thread. */
export async function tallyCommands(dbUrl: string, lark: FakeLark, tenantId: string, commands: ProbeCommand[]): Promise<Tally> {
  const rows = await query<{ description: string }>(dbUrl, `SELECT description FROM "Ticket" WHERE "tenantId" = $1`, [tenantId])
  const tickets = new Map<string, number>()
  for (const row of rows) for (const tag of row.description.match(TAG) ?? []) tickets.set(tag, (tickets.get(tag) ?? 0) + 1)
  const replies = new Map<string, number>()
  for (const message of lark.messages) if (message.replyTo) replies.set(message.replyTo, (replies.get(message.replyTo) ?? 0) + 1)
  const byTag = new Map(commands.map((c) => [c.tag, c]))
  const items = commands.map((c) => ({ id: c.tag, executed: tickets.get(c.tag) ?? 0, delivered: replies.get(c.messageId) ?? 0 }))
  return summarise(items, async (item) => explainCommand(dbUrl, lark, byTag.get(item.id)!))
}

/** Where a lost command stopped: its inbound row, its reply row, and what the reply said. */
async function explainCommand(dbUrl: string, lark: FakeLark, command: ProbeCommand): Promise<string> {
  const inbound = await query<{ status: string; error: string | null }>(dbUrl, `SELECT status, error FROM "InboundEvent" WHERE message->>'messageId' = $1`, [command.messageId])
  const outgoing = await query<{ status: string; attempts: number; lastError: string | null }>(
    dbUrl,
    `SELECT status, attempts, "lastError" FROM "OutgoingMessage" WHERE "replyToMessageId" = $1`,
    [command.messageId],
  )
  const reply = lark.messages.find((m) => m.replyTo === command.messageId)
  const parts = [
    inbound.length ? `inbound event ${inbound.map((r) => r.status + (r.error ? ` (${r.error.slice(0, 80)})` : '')).join(', ')}` : 'no inbound event stored',
    outgoing.length ? `reply row ${outgoing.map((r) => `${r.status} after ${r.attempts} attempt(s)${r.lastError ? ` (${r.lastError.slice(0, 80)})` : ''}`).join(', ')}` : 'no reply row',
  ]
  if (reply) parts.push(`reply said "${textOf(reply.content).slice(0, 100)}"`)
  return parts.join('; ')
}

/** The words of a Lark text or post message, without its structure. */
function textOf(content: unknown): string {
  if (typeof content === 'string') return content
  if (Array.isArray(content)) return content.map(textOf).join('')
  if (content && typeof content === 'object') {
    const { text, ...rest } = content as Record<string, unknown>
    return typeof text === 'string' ? text : Object.values(rest).map(textOf).join('')
  }
  return ''
}

export const LADDER = ['repair.unassigned_alert', 'repair.assignee_reminder', 'repair.onsite_escalation'] as const

export interface LadderStatus extends Tally {
  /** The latest any reminder fired after it was due, in seconds. */
  maxLateSeconds: number
}

/**
 * An urgent repair's escalation ladder: each of its three reminders fired (a reminder_sent event in
 * the ticket's timeline) and posted (a message the fake Lark received for that reminder's row).
 */
export async function tallyLadders(dbUrl: string, lark: FakeLark, tenantId: string, commands: ProbeCommand[]): Promise<LadderStatus> {
  const tickets = await query<{ id: string; description: string }>(dbUrl, `SELECT id, description FROM "Ticket" WHERE "tenantId" = $1`, [tenantId])
  const ticketByTag = new Map<string, string>()
  for (const t of tickets) for (const tag of t.description.match(TAG) ?? []) ticketByTag.set(tag, t.id)
  const fired = await query<{ ticketId: string; kind: string; n: string }>(
    dbUrl,
    `SELECT "ticketId", data->>'kind' AS kind, count(*) AS n FROM "TicketEvent" WHERE "tenantId" = $1 AND type = 'reminder_sent' GROUP BY 1, 2`,
    [tenantId],
  )
  const reminders = await query<{ id: string; subjectId: string; kind: string; late: number | null }>(
    dbUrl,
    `SELECT id, "subjectId", kind, EXTRACT(EPOCH FROM ("firedAt" - "dueAt"))::float AS late FROM "Reminder" WHERE "tenantId" = $1`,
    [tenantId],
  )
  const outgoing = await query<{ id: string; key: string }>(dbUrl, `SELECT id, "idempotencyKey" AS key FROM "OutgoingMessage" WHERE "tenantId" = $1 AND "idempotencyKey" LIKE 'reminder:%'`, [tenantId])
  const reminderOf = new Map(reminders.map((r) => [r.id, r]))
  const reminderByOutgoing = new Map(outgoing.map((o) => [o.id, reminderOf.get(o.key.split(':')[1])]))
  const posted = new Map<string, number>()
  for (const message of lark.messages) {
    const outgoingId = message.uuid?.replace(/-\d+$/, '')
    const reminder = outgoingId && message.uuid?.endsWith('-0') ? reminderByOutgoing.get(outgoingId) : undefined
    if (reminder) posted.set(`${reminder.subjectId}:${reminder.kind}`, (posted.get(`${reminder.subjectId}:${reminder.kind}`) ?? 0) + 1)
  }
  const firedCount = new Map(fired.map((f) => [`${f.ticketId}:${f.kind}`, Number(f.n)]))
  const items: ItemCount[] = []
  for (const command of commands) {
    const ticketId = ticketByTag.get(command.tag)
    for (const kind of LADDER) {
      const key = `${ticketId}:${kind}`
      items.push({ id: `${command.tag} ${kind}`, executed: ticketId ? (firedCount.get(key) ?? 0) : 0, delivered: ticketId ? (posted.get(key) ?? 0) : 0 })
    }
  }
  const tally = await summarise(items, async (item) => {
    const [tag, kind] = item.id.split(' ')
    const ticketId = ticketByTag.get(tag)
    if (!ticketId) return 'the ticket was never created'
    const rows = reminders.filter((r) => r.subjectId === ticketId && r.kind === kind)
    const states = await query<{ status: string }>(dbUrl, `SELECT status FROM "Reminder" WHERE "subjectId" = $1 AND kind = $2`, [ticketId, kind])
    return rows.length ? `reminder row ${states.map((s) => s.status).join(', ')}` : 'no reminder row'
  })
  const lates = reminders.filter((r) => r.late !== null && LADDER.includes(r.kind as (typeof LADDER)[number])).map((r) => r.late!)
  return { ...tally, maxLateSeconds: lates.length ? Math.max(...lates) : 0 }
}
