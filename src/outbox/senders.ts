import type { AppContext } from '../context.ts'
import type { ChatGroup, OutgoingMessage, PlatformConnection } from '../generated/prisma/client.ts'
import type { Platform } from '../generated/prisma/enums.ts'
import type { Reply } from '../messages/reply.ts'
import type { Budget } from './destination-limiter.ts'

/** One message to deliver, with what a platform needs to address it. */
export interface Delivery {
  message: OutgoingMessage
  reply: Reply
  group: ChatGroup | null
  connection: PlatformConnection | null
}

/**
 * Delivers a rendered Reply to one platform. Throws PlatformError (src/platforms/errors.ts) with a
 * kind that tells the worker to retry, wait or give up.
 */
export interface PlatformSender {
  deliver(delivery: Delivery): Promise<void>
  /** Rate-limit buckets and budgets for a delivery (all taken at once), or null when the platform needs none. */
  limitFor(delivery: Delivery): Budget | null
}

export type Senders = Record<Platform, PlatformSender>
export type SenderFactory = (ctx: AppContext) => Senders
