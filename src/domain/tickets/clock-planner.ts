import { registerClockPlanner } from '../clocks/planners.ts'
import { withPauseState } from '../clocks/pause-state.ts'
import { isRelevant, repairClocks } from './reminder-plan.ts'
import { replanReminders } from './schedule.ts'
import { openedAt } from './timeline.ts'

/** A repair's clocks for pause and resume: those its status still waits on, in the current round. */
registerClockPlanner('repair', {
  async clocks(tx, ticket, rules) {
    const round = await openedAt(tx, ticket)
    const clocks = repairClocks(ticket, rules.policy, rules.calendar, round).filter((clock) => isRelevant(clock.kind, ticket.status))
    return { round, clocks: withPauseState(clocks, { pausedAt: null, resumedDeadlines: ticket.resumedDeadlines }, round) }
  },
  replan: (tx, ticket, rules, now) => replanReminders(tx, ticket, rules, now),
  deadlineColumns: { respondBy: ['repair.onsite_escalation', 'repair.appointment_escalation'], resolveBy: ['repair.resolve_breach'] },
  runningStatuses: ['open', 'assigned', 'on_site'],
})
