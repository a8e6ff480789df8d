import type { AppContext } from '../../context.ts'
import type { ChatHandler } from '../../inbox/handler.ts'
import type { Reply } from '../../messages/reply.ts'
import { findCommand, type Language } from '../catalog.ts'
import { errorReply } from '../error-reply.ts'
import { helpReply } from '../help.ts'
import { parse } from '../parse/parser.ts'
import { noteCommand } from '../../db/command-scope.ts'
import { tenantAsOf, withTenantAsRead } from '../../domain/tickets/rules.ts'
import { domainErrorText } from './domain-errors.ts'
import { clockCommands } from './clocks.ts'
import { complaintCommands } from './complaints.ts'
import { followUpCommands } from './follow-ups.ts'
import { roleWord } from './format.ts'
import { findOrCreateMember } from './members.ts'
import { bookingCommands } from './bookings.ts'
import { repairCommands } from './repairs.ts'
import { reportCommands } from './reports.ts'
import { setupCommands } from './setup.ts'
import type { CommandRun, CommandServices } from './types.ts'

/** Every command of the catalog, by id (test/commands/handlers.test.ts keeps the two in step). */
export const commandRuns: Record<string, CommandRun> = {
  help: async (call) => helpReply(call.services.catalog, call.member.roles, call.language, call.args.topic as string | undefined),
  ...repairCommands,
  ...bookingCommands,
  ...clockCommands,
  ...complaintCommands,
  ...followUpCommands,
  ...reportCommands,
  ...setupCommands,
}

/**
 * What people call the bot when they @ it. Lark and WeCom remove their own bot mention; the console
 * passes text as typed ("@前台助手 报修 …", "@前台助手　报修", "@前台助手报修"), so the parser drops these.
 */
const assistantNames = ['前台助手', 'frontdesk']

/** Commands a chat may use before it is bound to a tenant. */
const allowedUnbound = new Set(['bind-group', 'help'])

const text = (...lines: string[]): Reply => ({ lines, mentions: [], buttons: [] })

const unboundReply: Record<Language, Reply> = {
  zh: text('您好！本群还没有绑定到服务中心，暂时不能登记报修或投诉。', '请管理员在管理页为本群生成绑定码，然后在群里发送「绑定 绑定码」，例如：绑定 K7M2Q9TX'),
  en: text('Hello! This chat is not linked to a service team yet.', 'An admin can create a binding code on the admin page; then send "bind <code>" here, e.g. bind K7M2Q9TX'),
}

/**
 * From a chat message to the reply: who is asking (members are created on first sight), what they
 * asked (the catalog-driven parser), whether their role allows it, then the command itself.
 * Errors people can fix come back as polite replies in their language; anything else propagates
 * so the inbound worker retries and finally apologises.
 */
export function createChatHandler(services: CommandServices): ChatHandler {
  return async (ctx: AppContext, { tenantId, message, group, sender, tenantVersion }) => {
    const tenant = await tenantAsOf(ctx.prisma, tenantId, tenantVersion)
    const now = ctx.clock.now()
    const parsed = parse(message.text, { catalog: services.catalog, mentions: message.mentions, now, timeZone: tenant.timeZone, botNames: assistantNames })
    // An unbound chat learns how to bind itself; its people are not members of anything yet.
    if (!group && !(parsed.ok && allowedUnbound.has(parsed.command))) return unboundReply[parsed.language]
    if (!parsed.ok) return errorReply(services.catalog, parsed)
    noteCommand(parsed.command)

    const { language } = parsed
    const member = await findOrCreateMember(ctx, tenantId, message.platform, { userId: message.sender.userId, name: message.sender.name ?? message.sender.userId }, sender)
    if (group && parsed.command === 'bind-group') {
      return text(language === 'zh' ? '本群已经绑定过了，无需再次绑定。' : 'This chat is already linked.')
    }
    const spec = findCommand(services.catalog, parsed.command)
    const run = commandRuns[parsed.command]
    if (!spec || !run) throw new Error(`command "${parsed.command}" has no handler`)
    if (!spec.roles.some((role) => member.roles.includes(role))) {
      const needed = spec.roles.map((role) => roleWord[language][role]).join(language === 'zh' ? '、' : ', ')
      const name = spec.names[language][0]
      return text(language === 'zh' ? `抱歉，「${name}」需要以下角色之一：${needed}。如需开通请联系管理员。` : `Sorry, "${name}" needs one of these roles: ${needed}. Ask an admin.`)
    }

    try {
      return await withTenantAsRead(tenant, () => run({ ctx, services, tenant, member, group, message, language, args: parsed.args, now }))
    } catch (error) {
      const polite = domainErrorText(error, language)
      if (polite) return text(polite)
      throw error
    }
  }
}
