import { describe, expect, it } from 'vitest'
import { commandHelp, help, helpReply, usage } from '../../src/commands/help.ts'
import { findCommand } from '../../src/commands/catalog.ts'
import { replySchema } from '../../src/messages/reply.ts'
import { catalog, parseText } from './support.ts'

const text = (reply: { heading?: string; lines: string[] }) => [reply.heading ?? '', ...reply.lines].join('\n')

describe('help', () => {
  it('lists only the commands a technician may use, in Chinese', () => {
    const reply = help(catalog, ['technician'], 'zh')
    expect(replySchema.parse(reply)).toEqual(reply)
    expect(reply.heading).toBe('可用命令')
    expect(text(reply)).toContain('**接单**')
    expect(text(reply)).toContain('**完成**')
    expect(text(reply)).not.toContain('**授权**')
    expect(text(reply)).not.toContain('**派单**')
  })

  it('gives an admin everything, in English', () => {
    const reply = help(catalog, ['admin'], 'en')
    expect(reply.lines.filter((line) => line.startsWith('**'))).toHaveLength(catalog.commands.length)
    expect(text(reply)).toContain('**grant**')
  })

  it('combines roles and treats nobody as a customer', () => {
    const customer = text(help(catalog, [], 'zh'))
    expect(customer).toContain('**报修**')
    expect(customer).not.toContain('**待办**')
    expect(text(help(catalog, ['customer', 'agent'], 'zh'))).toContain('**待办**')
  })

  it('shows one command with usage, aliases, arguments and examples', () => {
    const reply = commandHelp(catalog, 'repair-create', 'zh')
    expect(reply.heading).toBe('报修：登记报修：房号、报修内容，可加紧急程度、联系电话和预约上门时间')
    expect(reply.lines).toContain('用法：报修 <房号> <报修内容> [紧急程度] [联系电话] [预约时间]')
    expect(reply.lines).toContain('也可以说：维修、报修单、我要报修')
    expect(reply.lines).toContain('• 紧急程度（可选）：可选 紧急 / 高 / 一般 / 低')
    expect(reply.lines).toContain('• 报修 3-2-501 厨房水管漏水 紧急')
  })

  it('answers a parsed help command with its topic', () => {
    const parsed = parseText('help assign')
    if (!parsed.ok) throw new Error(JSON.stringify(parsed))
    const reply = helpReply(catalog, ['agent'], parsed.language, parsed.args.topic as string)
    expect(reply.lines[0]).toBe('Usage: assign <ticket> <@member>')
  })

  it('writes usage from the catalog', () => {
    expect(usage(findCommand(catalog, 'followup-record')!, 'en')).toBe('followup <ticket> <satisfaction> [rating] [comment]')
  })
})
