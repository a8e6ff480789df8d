import type { Clock } from '../clock.ts'
import { commandWriter, runAfterWrite } from '../db/command-scope.ts'
import type { PrismaClient } from '../generated/prisma/client.ts'
import { createRepair } from './tickets/create.ts'
import { fireReminder } from './tickets/fire-reminder.ts'
import { flagOverdueFollowUps } from './follow-ups/overdue.ts'
import { recordFollowUp } from './follow-ups/record.ts'
import { addNote, arrive, assign, cancel, claim, complete, recategorize, reopen } from './tickets/lifecycle.ts'
import { listOpenRepairs, showRepair, type ListOpenInput, type ShowRepairInput } from './tickets/queries.ts'

export type { CreateRepairInput, CreateRepairResult } from './tickets/create.ts'
export type { FireOutcome, FireResult } from './reminders/claim.ts'
export type { OverdueResult } from './follow-ups/overdue.ts'
export type { RecordFollowUpInput, RecordFollowUpResult } from './follow-ups/record.ts'
export type { CompleteInput, CompleteResult, TicketResult } from './tickets/lifecycle.ts'
export type { ListOpenInput, ShowRepairInput, TicketDetails, TimelineEntry, Viewer } from './tickets/queries.ts'
export type { ActorRef, Effects, ReminderChanges, TicketRef } from './tickets/types.ts'
export { isRepairReminderKind, repairReminderKinds, type RepairReminderKind } from './tickets/reminder-plan.ts'
export { repairFollowUpKinds } from './tickets/follow-ups.ts'

export interface RepairServiceDeps {
  prisma: PrismaClient
  clock: Clock
}

/**
 * Repair work orders (报修/维修单). Every write is one transaction that also appends to the
 * timeline; it returns the reminder rows to enqueue/remove and the notifications to send, both
 * to be acted on after commit. All calls are scoped by tenantId.
 */
export function createRepairService({ prisma, clock }: RepairServiceDeps) {
  const write = commandWriter(prisma, clock)

  return {
    createRepair: write(createRepair),
    assign: write(assign),
    claim: write(claim),
    arrive: write(arrive),
    complete: write(complete),
    cancel: write(cancel),
    reopen: write(reopen),
    addNote: write(addNote),
    recategorize: write(recategorize),
    recordFollowUp: write(recordFollowUp),
    /** Called by the reminders worker with the job id (= row id). */
    fireReminder: (reminderId: string) =>
      prisma.$transaction(async (tx) => {
        const result = await fireReminder(tx, clock.now(), reminderId)
        // The caller may store the messages it causes in the same transaction (src/db/command-scope.ts).
        await runAfterWrite(tx, result)
        return result
      }),
    /** Periodic sweep across tenants. */
    flagOverdueFollowUps: (now: Date = clock.now()) => prisma.$transaction((tx) => flagOverdueFollowUps(tx, now)),
    show: (input: ShowRepairInput) => showRepair(prisma, input),
    listOpen: (input: ListOpenInput) => listOpenRepairs(prisma, input),
  }
}

export type RepairService = ReturnType<typeof createRepairService>
