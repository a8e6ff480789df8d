import type { AppContext } from '../../context.ts'
import type { Member } from '../../generated/prisma/client.ts'
import type { Platform } from '../../generated/prisma/enums.ts'
import { domainError } from '../../domain/errors.ts'
import { membersNamed } from '../../domain/tickets/members.ts'
import type { Mention } from '../../messages/reply.ts'
import type { MemberName } from '../parse/values.ts'
import type { CommandCall } from './types.ts'

/**
 * The member behind a platform user, created on first sight as a customer. Roles are granted by
 * admins (`授权`), never taken from the platform. A name learnt later replaces a placeholder id.
 * `known` is the row (or null: none) when the caller already read it.
 */
export async function findOrCreateMember(ctx: AppContext, tenantId: string, platform: Platform, user: Mention, known?: Member | null): Promise<Member> {
  const name = user.name?.trim() || user.userId
  const where = { tenantId_platform_externalUserId: { tenantId, platform, externalUserId: user.userId } }
  // Known members are the common case: one read. An upsert would cost a transaction of five statements.
  let member = known === undefined ? await ctx.prisma.member.findUnique({ where }) : known
  if (!member) {
    // Two first messages at once may race here: the loser's insert does nothing and it reads the winner's row.
    await ctx.prisma.member.createMany({ data: [{ tenantId, platform, externalUserId: user.userId, name }], skipDuplicates: true })
    member = await ctx.prisma.member.findUniqueOrThrow({ where })
  }
  if (member.name === member.externalUserId && name !== member.externalUserId) {
    return ctx.prisma.member.update({ where: { id: member.id }, data: { name } })
  }
  return member
}

/**
 * The member a command argument names: a platform mention (an id), or an "@Name" that came as text
 * only, matched on this platform by display name or alias. Unknown and ambiguous names are refused
 * with what to do about them; guessing would hand work to the wrong person.
 */
export async function memberOf(call: CommandCall, value: Mention | MemberName): Promise<Member> {
  if ('userId' in value) return findOrCreateMember(call.ctx, call.tenant.id, call.message.platform, value)
  const name = value.memberName.normalize('NFKC').trim()
  const found = await membersNamed(call.ctx.prisma, call.tenant.id, call.message.platform, name)
  if (found.length === 1) return found[0]
  if (found.length === 0) throw domainError('member.unknown_name', { name })
  const candidates = found.map((m) => `${m.name}（${m.aliases.length ? m.aliases.join('/') : m.externalUserId}）`)
  throw domainError('member.ambiguous_name', { name, count: found.length, candidates: candidates.join('、') })
}
