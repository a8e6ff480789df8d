import type { AppContext } from '../context.ts'
import type { ChatGroup } from '../generated/prisma/client.ts'
import type { ChatMessage } from '../messages/chat-message.ts'
import type { Reply } from '../messages/reply.ts'

export interface ChatInput {
  tenantId: string
  message: ChatMessage
  /** null when the chat is not bound to the tenant yet. */
  group: ChatGroup | null
}

/** Turns one chat message into the reply for its sender (null: stay silent). */
export type ChatHandler = (ctx: AppContext, input: ChatInput) => Promise<Reply | null>
