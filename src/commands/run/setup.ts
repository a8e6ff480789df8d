import { redeemBindingCode } from '../../admin/binding.ts'
import { runBeforeWrite } from '../../db/command-scope.ts'
import { AppError } from '../../errors.ts'
import type { Role } from '../../generated/prisma/enums.ts'
import type { Mention, Reply } from '../../messages/reply.ts'
import type { MemberName } from '../parse/values.ts'
import { roleWord } from './format.ts'
import { memberOf } from './members.ts'
import type { CommandRun } from './types.ts'

const purposeWord = {
  zh: { front_desk: '前台', maintenance: '维修', management: '管理', customer_service: '客服' },
  en: { front_desk: 'front desk', maintenance: 'maintenance', management: 'management', customer_service: 'customer service' },
}

const reply = (lines: string[]): Reply => ({ lines, mentions: [], buttons: [] })

/** `绑定 <code>`: an unbound chat joins the tenant whose admin created the code. */
const bindGroup: CommandRun = async (call) => {
  const { message, language } = call
  try {
    const group = await redeemBindingCode(call.ctx.prisma, {
      code: String(call.args.code),
      platform: message.platform,
      connectionId: message.connectionId,
      externalId: message.chatId,
      name: `${message.platform === 'lark' ? '飞书群' : message.platform === 'wecom' ? '企业微信群' : '群'} ${message.chatId.slice(-6)}`,
      now: call.now,
    })
    await call.ctx.prisma.auditLog.create({
      data: { tenantId: group.tenantId, actor: `member:${call.member.id}`, action: 'group.bind', target: group.id, data: { via: 'chat' } },
    })
    return reply([
      language === 'zh'
        ? `绑定成功：本群现在是「${call.tenant.name}」的${purposeWord.zh[group.purpose]}群。发送「帮助」查看可用命令。`
        : `Bound: this chat is now the ${purposeWord.en[group.purpose]} group of "${call.tenant.name}". Send "help" to see the commands.`,
    ])
  } catch (error) {
    // Binding errors carry a Chinese hint meant for the person typing the code.
    if (error instanceof AppError && error.hint) return reply([language === 'zh' ? error.hint : `Binding failed: ${error.message}.`])
    throw error
  }
}

/** `授权 @张师傅 维修工`: an admin gives a member a role (roles add up; nobody loses one this way). */
const grantRole: CommandRun = async (call) => {
  const target = await memberOf(call, call.args.member as Mention | MemberName)
  const role = call.args.role as Role
  const roles = target.roles.includes(role) ? target.roles : [...target.roles, role]
  // Claims the message in the same transaction, like every domain write: a redelivered or
  // concurrently retried message grants (and audits) once.
  await call.ctx.prisma.$transaction(async (tx) => {
    await runBeforeWrite(tx)
    await tx.member.update({ where: { id: target.id }, data: { roles } })
    await tx.auditLog.create({
      data: { tenantId: call.tenant.id, actor: `member:${call.member.id}`, action: 'member.grant_role', target: target.id, data: { role } },
    })
  })
  const { language } = call
  return {
    lines: [language === 'zh' ? `已授予 ${target.name}「${roleWord.zh[role]}」角色。` : `${target.name} is now ${roleWord.en[role]}.`],
    mentions: [{ userId: target.externalUserId, name: target.name }],
    buttons: [],
  }
}

export const setupCommands: Record<string, CommandRun> = { 'bind-group': bindGroup, 'grant-role': grantRole }
