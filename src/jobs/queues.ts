import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq'

/**
 * Every queue and the payload its jobs carry. Payloads hold ids, never secrets or message bodies:
 * the database row is the truth and the worker re-reads it.
 */
export interface QueuePayloads {
  /** Verified, deduplicated chat messages waiting for the command layer (those acked together). */
  inbound: { inboundEventIds: string[] }
  /** One outgoing message row to deliver. */
  outbound: { outgoingMessageId: string }
  /** One reminder row that has come due. */
  reminders: { reminderId: string }
  /** Periodic sweeps: daily summaries, overdue follow-ups, reconciliation, purging handled inbound events. */
  maintenance: {
    task: 'reconcile' | 'summaries' | 'follow-ups' | 'purge-inbound' | 'booking-audit' | 'expired-sessions'
    /** summaries: the group whose report is due (none: bring the per-group schedulers in line with the database). */
    groupId?: string
    /** summaries: the daily report (with the month's and quarter's on their last day) or Monday's weekly one. */
    report?: 'daily' | 'weekly'
  }
}

export type QueueName = keyof QueuePayloads
export const queueNames: QueueName[] = ['inbound', 'outbound', 'reminders', 'maintenance']

export type Queues = { [Name in QueueName]: Queue<QueuePayloads[Name], unknown, string> }

export interface QueueSettings {
  connection: ConnectionOptions
  prefix: string
}

const defaultJobOptions: JobsOptions = {
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
}

export function createQueues(settings: QueueSettings): Queues {
  const make = <Name extends QueueName>(name: Name) => {
    const queue = new Queue<QueuePayloads[Name], unknown, string>(name, {
      connection: settings.connection,
      prefix: settings.prefix,
      defaultJobOptions,
    })
    queue.on('error', () => {}) // a Redis outage is reported by /readyz and by the calls that fail
    return queue
  }
  return { inbound: make('inbound'), outbound: make('outbound'), reminders: make('reminders'), maintenance: make('maintenance') }
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((queue) => queue.close()))
}
