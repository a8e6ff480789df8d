import { addBusinessMinutes, businessMsBetween, type BusinessCalendar } from '../calendar/index.ts'
import type { ClockKind } from '../policy.ts'

/** One running clock of a ticket: the reminder it drives and how it counts time. */
export interface Clock {
  kind: string
  dueAt: Date
  clock: ClockKind
}

/** Ticket.pausedRemaining: what each clock had left when paused, in its own time. */
export interface PausedRemaining {
  /** The round (opening or reopening) the clocks belong to. */
  round: string
  left: Record<string, { ms: number; clock: ClockKind }>
}

/** Ticket.resumedDeadlines: where a resume moved each clock, for the round it belongs to. */
export interface ResumedDeadlines {
  round: string
  due: Record<string, string>
}

/**
 * What each clock has left at `at`: wall time, or working time for business clocks. Clocks
 * already due are left out unless `stillPending` says their reminder has not gone out yet (they
 * then fire right after the resume).
 */
export function remainingAt(clocks: Clock[], at: Date, calendar: BusinessCalendar, round: Date, stillPending: (kind: string) => boolean): PausedRemaining {
  const left: PausedRemaining['left'] = {}
  for (const { kind, dueAt, clock } of clocks) {
    if (dueAt <= at && !stillPending(kind)) continue
    const ms = clock === 'business' ? businessMsBetween(calendar, at, dueAt) : Math.max(0, dueAt.getTime() - at.getTime())
    left[kind] = { ms, clock }
  }
  return { round: round.toISOString(), left }
}

/** Resumed at `at`: each clock is due when its remaining time has run again. */
export function deadlinesAfterResume(paused: PausedRemaining, at: Date, calendar: BusinessCalendar): ResumedDeadlines {
  const due: ResumedDeadlines['due'] = {}
  for (const [kind, { ms, clock }] of Object.entries(paused.left)) {
    due[kind] = (clock === 'business' ? addBusinessMinutes(calendar, at, ms / 60_000) : new Date(at.getTime() + ms)).toISOString()
  }
  return { round: paused.round, due }
}

function asResumed(value: unknown): ResumedDeadlines | null {
  if (typeof value !== 'object' || value === null) return null
  const candidate = value as Partial<ResumedDeadlines>
  return typeof candidate.round === 'string' && typeof candidate.due === 'object' && candidate.due !== null ? (candidate as ResumedDeadlines) : null
}

export function asPaused(value: unknown): PausedRemaining | null {
  if (typeof value !== 'object' || value === null) return null
  const candidate = value as Partial<PausedRemaining>
  return typeof candidate.round === 'string' && typeof candidate.left === 'object' && candidate.left !== null ? (candidate as PausedRemaining) : null
}

/**
 * A plan as the pause state leaves it: nothing while paused (no reminder may fire); after a
 * resume, the moved deadlines replace the computed ones for the same round. A new round (the
 * ticket was reopened) starts its clocks afresh.
 */
export function withPauseState<T extends { kind: string; dueAt: Date }>(
  plan: T[],
  state: { pausedAt: Date | null; resumedDeadlines: unknown },
  round: Date,
): T[] {
  if (state.pausedAt) return []
  const resumed = asResumed(state.resumedDeadlines)
  if (!resumed || resumed.round !== round.toISOString()) return plan
  return plan.map((item) => {
    const moved = resumed.due[item.kind]
    return moved ? { ...item, dueAt: new Date(moved) } : item
  })
}

/**
 * What a paused ticket's deadline has left, read from the first of `kinds` (the reminders that
 * stand for it, e.g. repair.resolve_breach) the pause kept. 'overdue' when the deadline had
 * already passed before the pause; null when the ticket is not paused or has no such clock.
 */
export function leftWhilePaused(pausedRemaining: unknown, kinds: string[]): { ms: number; clock: ClockKind } | 'overdue' | null {
  const paused = asPaused(pausedRemaining)
  if (!paused) return null
  for (const kind of kinds) {
    const left = paused.left[kind]
    if (left) return left
  }
  return 'overdue'
}
