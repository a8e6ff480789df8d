import type { AppContext } from '../../context.ts'
import type { Member } from '../../generated/prisma/client.ts'
import type { Platform } from '../../generated/prisma/enums.ts'
import type { Mention } from '../../messages/reply.ts'

/**
 * The member behind a platform user, created on first sight as a customer. Roles are granted by
 * admins (`授权`), never taken from the platform. A name learnt later replaces a placeholder id.
 */
export async function findOrCreateMember(ctx: AppContext, tenantId: string, platform: Platform, user: Mention): Promise<Member> {
  const name = user.name?.trim() || user.userId
  const member = await ctx.prisma.member.upsert({
    where: { tenantId_platform_externalUserId: { tenantId, platform, externalUserId: user.userId } },
    create: { tenantId, platform, externalUserId: user.userId, name },
    update: {},
  })
  if (member.name === member.externalUserId && name !== member.externalUserId) {
    return ctx.prisma.member.update({ where: { id: member.id }, data: { name } })
  }
  return member
}
