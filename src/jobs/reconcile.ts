import type { AppContext } from '../context.ts'
import { addInboundJob } from '../inbox/accept.ts'
import { addOutboundJob } from '../outbox/outbox.ts'
import { scheduleReminders } from './reminders.ts'

/**
 * Rebuilds the queues from the database: every pending row gets its job back. Adding a job whose
 * id already exists is a no-op in BullMQ, so this is safe to run at any time, from any process.
 * It runs on worker start and every minute, so a Redis flush or loss loses nothing.
 */
export async function reconcileQueues(ctx: AppContext): Promise<{ inbound: number; outbound: number; reminders: number }> {
  // Fresh events are still in their batch job; only those left behind for a while need a new one.
  const stale = new Date(Date.now() - STALE_INBOUND_MS)
  const inbound = await ctx.prisma.inboundEvent.findMany({ where: { status: 'received', receivedAt: { lt: stale } }, select: { id: true } })
  for (const { id } of inbound) await addInboundJob(ctx, id)

  const outbound = await ctx.prisma.outgoingMessage.findMany({ where: { status: { in: ['pending', 'sending'] } }, select: { id: true } })
  for (const { id } of outbound) await addOutboundJob(ctx, id)

  const reminders = await ctx.prisma.reminder.findMany({ where: { status: 'pending' }, select: { id: true, dueAt: true } })
  await scheduleReminders(ctx, reminders)

  return { inbound: inbound.length, outbound: outbound.length, reminders: reminders.length }
}

export const RECONCILE_EVERY_MS = 60_000
const STALE_INBOUND_MS = 30_000

export const FOLLOW_UP_SWEEP_EVERY_MS = 5 * 60_000

/** Registers the periodic sweeps (one scheduler each, shared by all processes). */
export async function scheduleMaintenance(ctx: AppContext): Promise<void> {
  await ctx.queues.maintenance.upsertJobScheduler('reconcile', { every: RECONCILE_EVERY_MS }, { name: 'reconcile', data: { task: 'reconcile' } })
  await ctx.queues.maintenance.upsertJobScheduler('follow-ups', { every: FOLLOW_UP_SWEEP_EVERY_MS }, { name: 'follow-ups', data: { task: 'follow-ups' } })
}
