import type { AppContext } from '../context.ts'
import type { Processors } from './workers.ts'

/** The processor of each queue. Each one re-reads its row and does nothing if the world moved on. */
export function createProcessors(_ctx: AppContext): Processors {
  return {}
}
