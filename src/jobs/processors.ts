import type { AppContext } from '../context.ts'
import { inboundProcessor } from '../inbox/processor.ts'
import type { ChatHandler } from '../inbox/handler.ts'
import { createDestinationLimiter } from '../outbox/destination-limiter.ts'
import { outboundProcessor } from '../outbox/processor.ts'
import type { Senders } from '../outbox/senders.ts'
import { consoleSender } from '../platforms/console/sender.ts'
import { larkSender } from '../platforms/lark/sender.ts'
import { wecomSender } from '../platforms/wecom/sender.ts'
import { sweepExpiredSessions } from '../workspace/auth/sessions.ts'
import { purgeHandledInbound } from './purge.ts'
import { reconcileQueues } from './reconcile.ts'
import { reminderProcessor, type FireReminder, type FireReminders } from './reminders.ts'
import { runGroupSummaries, syncSummarySchedulers } from './summaries.ts'
import type { Processors } from './workers.ts'

export function platformSenders(ctx: AppContext): Senders {
  return { lark: larkSender(ctx), wecom: wecomSender(ctx), console: consoleSender(ctx) }
}

export interface ProcessorDeps {
  handleChat: ChatHandler
  fireReminder: FireReminder
  /** Many at once in one transaction (one commit for a batch); without it each fires alone. */
  fireReminders?: FireReminders
  /** The periodic follow-up sweep: flags overdue call-backs and says so. */
  sweepFollowUps?: () => Promise<void>
  /** The daily booking audit of every tenant whose audit time has come (once per tenant and day). */
  sweepBookingAudits?: () => Promise<void>
}

/** The processor of each queue. Each one re-reads its row and does nothing if the world moved on. */
export function createProcessors(ctx: AppContext, deps: ProcessorDeps): Processors {
  return {
    inbound: { process: inboundProcessor(ctx, deps.handleChat), concurrency: 8 },
    // Every reminder fired is a delivery too: with 100,000 falling due over five minutes, 32 at once
    // left the messages 47 s behind the firings. Deliveries read and mark their rows in batches
    // (src/outbox/delivery-row.ts), so many at once cost few statements.
    outbound: { process: outboundProcessor(ctx, platformSenders(ctx), createDestinationLimiter(ctx.redis, ctx.config.REDIS_PREFIX)), concurrency: 128 },
    // Many jobs run at once so that the firings waiting together fill batches (one transaction and
    // one commit each, src/jobs/reminders.ts; at most four hold a pool client). Measured in the short
    // bench: p99 lateness 4.0 s with 32 jobs, 0.71 s with 64, 0.39 s with 128.
    reminders: { process: reminderProcessor(ctx, deps.fireReminder, deps.fireReminders), concurrency: 128 },
    maintenance: {
      process: async (job) => {
        if (job.data.task === 'reconcile') return reconcileQueues(ctx)
        if (job.data.task === 'follow-ups') return deps.sweepFollowUps?.()
        if (job.data.task === 'purge-inbound') return purgeHandledInbound(ctx)
        if (job.data.task === 'booking-audit') return deps.sweepBookingAudits?.()
        if (job.data.task === 'expired-sessions') return sweepExpiredSessions(ctx.prisma, ctx.clock.now())
        if (job.data.task === 'summaries') {
          return job.data.groupId ? runGroupSummaries(ctx, { groupId: job.data.groupId, report: job.data.report ?? 'daily' }) : syncSummarySchedulers(ctx)
        }
        return null
      },
      concurrency: 1,
    },
  }
}
