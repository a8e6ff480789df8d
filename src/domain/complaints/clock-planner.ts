import { registerClockPlanner } from '../clocks/planners.ts'
import { withPauseState } from '../clocks/pause-state.ts'
import { handlingFrom, planComplaintReminders, replanComplaint } from './clocks.ts'
import { loadComplaintRules } from './rules.ts'

/**
 * A complaint's clocks for pause and resume: the handling warning and breach while it is not yet
 * handled. Its limits are hours on the wall (domain.md), counted from receipt or the reopening.
 */
registerClockPlanner('complaint', {
  async clocks(tx, ticket) {
    const rules = await loadComplaintRules(tx, ticket.tenantId)
    const round = await handlingFrom(tx, ticket)
    const plan = planComplaintReminders({ ...ticket, completedAt: null }, round, rules.policy, rules.calendar).map((item) => ({ ...item, clock: 'wall' as const }))
    return { round, clocks: withPauseState(plan, { pausedAt: null, resumedDeadlines: ticket.resumedDeadlines }, round) }
  },
  async replan(tx, ticket, _rules, now) {
    const rules = await loadComplaintRules(tx, ticket.tenantId)
    return replanComplaint(tx, ticket, rules.policy, rules.calendar, now)
  },
  deadlineColumns: { resolveBy: ['complaint.resolve_breach'] },
  runningStatuses: ['open', 'assigned'],
})
