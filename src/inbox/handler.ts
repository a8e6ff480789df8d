import type { AppContext } from '../context.ts'
import type { ChatGroup, Member } from '../generated/prisma/client.ts'
import type { ChatMessage } from '../messages/chat-message.ts'
import type { Reply } from '../messages/reply.ts'

export interface ChatInput {
  tenantId: string
  message: ChatMessage
  /** null when the chat is not bound to the tenant yet. */
  group: ChatGroup | null
  /** The sender's member row as read with the event (null: not a member yet); absent: not read. */
  sender?: Member | null
  /** The tenant's settings version as read with the event (src/domain/tickets/rules.ts); absent: not read. */
  tenantVersion?: string | null
}

/** Turns one chat message into the reply for its sender (null: stay silent). */
export type ChatHandler = (ctx: AppContext, input: ChatInput) => Promise<Reply | null>
