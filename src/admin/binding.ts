import { randomInt } from 'node:crypto'
import { BadInput, Conflict, NotFound } from '../errors.ts'
import type { GroupPurpose, Platform, PrismaClient } from '../generated/prisma/client.ts'
import { writeAudit } from './audit.ts'
import { isUniqueViolation } from './tenant-scope.ts'

/** Letters and digits people cannot confuse when reading a code aloud or off a phone: no 0/O, 1/I/L. */
export const BINDING_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789'
/** Eight characters: easy to type, yet ~10^12 possibilities so a group cannot guess its way into a tenant. */
export const BINDING_CODE_LENGTH = 8
export const BINDING_CODE_TTL_MS = 24 * 60 * 60_000

export function generateBindingCode(): string {
  let code = ''
  for (let i = 0; i < BINDING_CODE_LENGTH; i++) code += BINDING_CODE_ALPHABET[randomInt(BINDING_CODE_ALPHABET.length)]
  return code
}

/** What people type is forgiving: spaces, dashes and lower case are ignored. */
export function normalizeBindingCode(input: string): string {
  return input.replace(/[\s-]/g, '').toUpperCase()
}

/** The reasons a `绑定 <code>` can fail; `reason` lets the chat layer pick its wording. */
export class BindingCodeUnknown extends NotFound {
  readonly reason = 'unknown' as const
  constructor() {
    super('binding code not found', '绑定码不存在，请核对后重新输入，或请管理员重新生成。')
  }
}
export class BindingCodeExpired extends BadInput {
  readonly reason = 'expired' as const
  constructor() {
    super('binding code expired', '绑定码已过期（有效期 24 小时），请管理员重新生成。')
  }
}
export class BindingCodeUsed extends Conflict {
  readonly reason = 'used' as const
  constructor() {
    super('binding code already used', '绑定码已被使用，每个绑定码只能使用一次，请管理员重新生成。')
  }
}
export class GroupAlreadyBound extends Conflict {
  readonly reason = 'already_bound' as const
  constructor() {
    super('group already bound', '这个群已经绑定过了，无需再次绑定。')
  }
}
export type BindingError = BindingCodeUnknown | BindingCodeExpired | BindingCodeUsed | GroupAlreadyBound

export interface RedeemInput {
  code: string
  platform: Platform
  connectionId: string | null
  /** The platform's chat id of the group that typed the code. */
  externalId: string
  name: string
  now: Date
}

export interface BoundGroup {
  id: string
  tenantId: string
  platform: Platform
  externalId: string
  name: string
  purpose: GroupPurpose
}

/**
 * Binds the group that typed `绑定 <code>` to the code's tenant with the code's purpose. Claiming the
 * code and creating the group happen in one transaction, so a code binds exactly one group even
 * when two groups race, and a failed bind leaves the code usable.
 */
export async function redeemBindingCode(prisma: PrismaClient, input: RedeemInput): Promise<BoundGroup> {
  const code = normalizeBindingCode(input.code)
  return prisma
    .$transaction(async (tx) => {
      const row = await tx.bindingCode.findUnique({ where: { code } })
      if (!row) throw new BindingCodeUnknown()
      if (input.connectionId) {
        const connection = await tx.platformConnection.findUnique({ where: { id: input.connectionId }, select: { tenantId: true, platform: true } })
        // A code from another tenant is answered exactly like a wrong code, revealing nothing.
        if (!connection || connection.tenantId !== row.tenantId || connection.platform !== input.platform) throw new BindingCodeUnknown()
      }
      if (row.usedAt) throw new BindingCodeUsed()
      if (row.expiresAt.getTime() <= input.now.getTime()) throw new BindingCodeExpired()

      // Conditional claim: of two concurrent redeemers, only one sees count 1.
      const claimed = await tx.bindingCode.updateMany({ where: { code, usedAt: null, expiresAt: { gt: input.now } }, data: { usedAt: input.now } })
      if (claimed.count !== 1) throw new BindingCodeUsed()

      const group = await tx.chatGroup.create({
        data: {
          tenantId: row.tenantId,
          platform: input.platform,
          connectionId: input.connectionId,
          externalId: input.externalId,
          name: input.name,
          purpose: row.purpose,
        },
      })
      await writeAudit(tx, {
        tenantId: row.tenantId,
        actor: `binding-code:${code}`,
        action: 'group.bind',
        target: group.id,
        data: { platform: group.platform, externalId: group.externalId, name: group.name, purpose: group.purpose, connectionId: group.connectionId },
      })
      return {
        id: group.id,
        tenantId: group.tenantId,
        platform: group.platform,
        externalId: group.externalId,
        name: group.name,
        purpose: group.purpose,
      }
    })
    .catch((error: unknown) => {
      throw isUniqueViolation(error) ? new GroupAlreadyBound() : error
    })
}
