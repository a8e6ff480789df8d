import type { AppContext } from '../../context.ts'
import type { BookingService } from '../../domain/bookings/index.ts'
import type { RepairService } from '../../domain/tickets.ts'
import type { ChatGroup, Member, Tenant } from '../../generated/prisma/client.ts'
import type { ChatMessage } from '../../messages/chat-message.ts'
import type { Reply } from '../../messages/reply.ts'
import type { Catalog, Language } from '../catalog.ts'
import type { ParsedArgs } from '../parse/values.ts'

/** Everything one command needs: who asked, where, in which language, with which arguments. */
export interface CommandCall {
  ctx: AppContext
  services: CommandServices
  tenant: Tenant
  member: Member
  /** null only for commands allowed in unbound chats (binding). */
  group: ChatGroup | null
  message: ChatMessage
  language: Language
  args: ParsedArgs
  now: Date
}

export interface CommandServices {
  catalog: Catalog
  repairs: RepairService
  bookings: BookingService
}

export type CommandRun = (call: CommandCall) => Promise<Reply>
