import type { GroupPurpose, Member } from '../generated/prisma/client.ts'
import type { Mention, Reply } from '../messages/reply.ts'

/** Where a notification goes: one bound group, or the tenant's group(s) doing a job. */
export type NotificationTarget = { kind: 'group'; groupId: string } | { kind: 'purpose'; purpose: GroupPurpose }

/**
 * A message the domain wants sent after its transaction commits. `key` is stable for the event
 * that caused it (`reminder:<id>`, `event:<ticketEventId>`…), so it doubles as the outbound
 * idempotency key: producing it twice never sends it twice. A caller that already answered the
 * command in the target group may drop the notification (e.g. a new repair reported in the
 * maintenance group itself). A purpose target means every group of that purpose in the tenant.
 */
export interface Notification {
  tenantId: string
  target: NotificationTarget
  reply: Reply
  key: string
}

export function mentionOf(member: Pick<Member, 'externalUserId' | 'name'>): Mention {
  return { userId: member.externalUserId, name: member.name }
}
