/** Pausing and resuming a ticket's clocks (挂起 / 恢复), for every kind that registers a planner. */
export { pauseTicket, resumeTicket, type ClockResult } from './pause.ts'
export { registerClockPlanner, clockPlannerFor, type ClockPlanner } from './planners.ts'
export { leftWhilePaused, withPauseState, type Clock } from './pause-state.ts'
