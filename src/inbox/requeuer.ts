import type { AppContext } from '../context.ts'

/** More than this many unqueued events are left to reconciliation alone (memory stays bounded). */
const MAX_WAITING = 50_000
const RETRY_EVERY_MS = 1000

/**
 * Stored events that Redis could not take are retried from here every second, so they run as
 * soon as Redis answers again rather than when reconciliation next finds them stale. Best effort:
 * a process that dies with some still waiting leaves them to reconciliation.
 */
export function createRequeuer(ctx: AppContext, queue: (ids: string[]) => Promise<unknown>): (ids: string[]) => void {
  let waiting: string[] = []
  let timer: NodeJS.Timeout | null = null
  let busy = false

  const retry = async () => {
    if (busy) return
    if (ctx.queues.inbound.closing) return stop()
    busy = true
    try {
      while (waiting.length) {
        const batch = waiting.slice(0, 500)
        await queue(batch)
        waiting = waiting.slice(batch.length)
      }
      ctx.log.info('inbound events stored during the Redis outage are queued')
      stop()
    } catch {
      // Still unreachable: try again on the next tick.
    } finally {
      busy = false
    }
  }
  const stop = () => {
    if (timer) clearInterval(timer)
    timer = null
  }

  return (ids) => {
    if (waiting.length + ids.length <= MAX_WAITING) waiting.push(...ids)
    if (!timer) {
      timer = setInterval(() => void retry(), RETRY_EVERY_MS)
      timer.unref()
    }
  }
}
