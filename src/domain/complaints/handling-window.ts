import type { Prisma, Ticket } from '../../generated/prisma/client.ts'
import type { PausedRemaining, ResumedDeadlines } from '../clocks/pause-state.ts'
import type { Tx } from '../tickets/types.ts'
import { handlingFrom } from './clocks.ts'
import type { ComplaintPolicy } from './policy.ts'

interface Stop {
  from: Date
  /** null while the complaint is still paused. */
  to: Date | null
}

/** The pauses of the current round, from the timeline (挂起 … 恢复). */
async function stopsSince(tx: Tx, ticket: Pick<Ticket, 'id' | 'pausedAt'>, round: Date): Promise<Stop[]> {
  const events = await tx.ticketEvent.findMany({
    where: { ticketId: ticket.id, type: { in: ['paused', 'resumed'] }, at: { gte: round } },
    orderBy: { at: 'asc' },
    select: { type: true, at: true },
  })
  const stops: Stop[] = []
  for (const event of events) {
    const open = stops.at(-1)
    if (event.type === 'paused' && (!open || open.to)) stops.push({ from: event.at, to: null })
    if (event.type === 'resumed' && open && !open.to) open.to = event.at
  }
  const open = stops.at(-1)
  if (ticket.pausedAt && (!open || open.to)) stops.push({ from: ticket.pausedAt, to: null })
  return stops
}

/** The wall time at which `workMs` of handling time has run since `round`, skipping the pauses. */
function wallTimeAfter(round: Date, stops: Stop[], workMs: number, now: Date): Date {
  let at = round.getTime()
  let left = workMs
  for (const stop of stops) {
    const runUntil = stop.from.getTime()
    if (at + left <= runUntil) break
    left -= Math.max(0, runUntil - at)
    at = (stop.to ?? now).getTime()
  }
  return new Date(at + left)
}

/** Handling time that has run by `now`, pauses left out. */
function workedBy(round: Date, stops: Stop[], now: Date): number {
  const stopped = stops.reduce((sum, stop) => sum + ((stop.to ?? now).getTime() - stop.from.getTime()), 0)
  return now.getTime() - round.getTime() - stopped
}

/**
 * The handling window after 定性 or 转交 gives a complaint a new limit. Time it spent paused in
 * this round does not count: a running complaint is due when the new limit's handling time has
 * run since receipt (or the reopening), pauses skipped; a paused one keeps what the new limit
 * leaves as its time left, for 恢复. The pause state is rewritten so the re-plan and a later
 * resume follow the new limit instead of the old one.
 */
export async function handlingWindow(
  tx: Tx,
  ticket: Pick<Ticket, 'id' | 'pausedAt' | 'receivedAt' | 'createdAt'>,
  limitMs: number,
  policy: ComplaintPolicy,
  now: Date,
): Promise<Pick<Prisma.TicketUncheckedUpdateInput, 'resolveBy' | 'pausedRemaining' | 'resumedDeadlines'>> {
  const round = await handlingFrom(tx, ticket)
  const stops = await stopsSince(tx, ticket, round)
  const warningMs = Math.round(limitMs * policy.warningRatio)

  if (ticket.pausedAt) {
    const worked = workedBy(round, stops, now)
    const left: PausedRemaining['left'] = { 'complaint.resolve_breach': { ms: Math.max(0, limitMs - worked), clock: 'wall' } }
    if (warningMs > worked) left['complaint.resolve_warning'] = { ms: warningMs - worked, clock: 'wall' }
    const paused: PausedRemaining = { round: round.toISOString(), left }
    return { resolveBy: new Date(now.getTime() + left['complaint.resolve_breach'].ms), pausedRemaining: { ...paused } }
  }

  const resolveBy = wallTimeAfter(round, stops, limitMs, now)
  if (stops.length === 0) return { resolveBy }
  const resumed: ResumedDeadlines = {
    round: round.toISOString(),
    due: { 'complaint.resolve_breach': resolveBy.toISOString(), 'complaint.resolve_warning': wallTimeAfter(round, stops, warningMs, now).toISOString() },
  }
  return { resolveBy, resumedDeadlines: { ...resumed } }
}
