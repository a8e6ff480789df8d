import { describe, expect, it } from 'vitest'
import { errorReply } from '../../src/commands/error-reply.ts'
import type { ParseFailure } from '../../src/commands/parse/result.ts'
import { replySchema } from '../../src/messages/reply.ts'
import { catalog, parseText } from './support.ts'

function failure(text: string): ParseFailure {
  const result = parseText(text)
  if (result.ok) throw new Error(`expected ${JSON.stringify(text)} to fail, got ${JSON.stringify(result)}`)
  return result
}

describe('unknown commands', () => {
  it.each([
    ['保修 3-2-501 漏水', '保修', '报修', 'zh'],
    ['保修', '保修', '报修', 'zh'],
    ['repiar 3-2-501 leak', 'repiar', 'repair', 'en'],
    ['asign #1023 @Wang', 'asign', 'assign', 'en'],
    ['/接丹 #1023', '接丹', '接单', 'zh'],
    ['我的公单', '我的公单', '我的工单', 'zh'],
  ])('%s suggests %s → %s', (text, input, suggestion, language) => {
    const result = failure(text)
    expect(result.language).toBe(language)
    expect(result.error).toMatchObject({ kind: 'unknown-command', input })
    expect(result.error.kind === 'unknown-command' && result.error.suggestions[0]).toBe(suggestion)
  })

  it('answers a slash command it does not know even without suggestions', () => {
    expect(failure('/hello').error).toEqual({ kind: 'unknown-command', input: 'hello', suggestions: [] })
  })

  it.each(['hello there', '今天天气不错', '', '   ', '@frontdesk', '保修厨房漏水'])('leaves ordinary chat alone: %j', (text) => {
    expect(failure(text).error).toEqual({ kind: 'not-a-command' })
  })

  it('offers each suggestion as a help button', () => {
    const reply = errorReply(catalog, failure('保修 3-2-501'))
    expect(replySchema.parse(reply)).toEqual(reply)
    expect(reply.lines.join('\n')).toContain('保修')
    expect(reply.lines.join('\n')).toContain('**报修**')
    expect(reply.buttons[0]).toEqual({ label: '报修', command: '帮助 报修' })
  })

  it('answers in English for English input', () => {
    const reply = errorReply(catalog, failure('repiar'))
    expect(reply.lines.join('\n')).toMatch(/Did you mean: \*\*repair\*\*/)
    expect(reply.buttons[0]).toEqual({ label: 'repair', command: 'help repair' })
  })
})

describe('missing arguments', () => {
  it.each([
    ['报修 厨房漏水', 'repair-create', 'unit', '报修 3-2-501 厨房水管漏水 紧急'],
    ['repair kitchen leak', 'repair-create', 'unit', 'repair 3-2-501 kitchen pipe leaking urgent'],
    ['报修 3-2-501', 'repair-create', 'description', '报修 3-2-501 厨房水管漏水 紧急'],
    ['派单 #1023', 'assign', 'assignee', '派单 #1023 @张师傅'],
    ['接单', 'claim', 'ticket', '接单 #1023'],
    ['取消 #1023', 'cancel', 'reason', '取消 #1023 业主已自行修好'],
    ['回访 #1023 5 很好', 'followup-record', 'satisfaction', '回访 #1023 满意 5 师傅很准时'],
    ['绑定', 'bind-group', 'code', '绑定 FD-7K2Q9X'],
  ])('%s → missing %s.%s', (text, command, argument, example) => {
    expect(failure(text).error).toEqual({ kind: 'missing-argument', command, argument, example })
  })

  it('says which argument is missing, what it looks like and shows an example', () => {
    const reply = errorReply(catalog, failure('报修 厨房漏水'))
    expect(reply.lines).toEqual([
      '缺少**房号**。',
      '房号：如 3-2-501、3栋2单元501、A座1203',
      '用法：报修 <房号> <报修内容> [紧急程度] [联系电话] [预约时间]',
      '示例：报修 3-2-501 厨房水管漏水 紧急',
    ])
  })

  it('says it in English when the command was English', () => {
    const reply = errorReply(catalog, failure('assign #1023'))
    expect(reply.lines[0]).toBe('The **@member** is missing.')
    expect(reply.lines[1]).toBe('@member: pick a group member with @')
    expect(reply.lines[3]).toBe('Example: assign #1023 @Wang')
  })
})

describe('invalid arguments', () => {
  it.each([
    ['派单 #1023 张师傅', 'assign', 'assignee', '张师傅', 'format'],
    ['授权 @张师傅 厨师', 'grant-role', 'role', '厨师', 'format'],
    ['接单 abc', 'claim', 'ticket', 'abc', 'format'],
    ['查 #abc', 'show', 'ticket', '#abc', 'format'],
    ['回访 #1023 满意 8分', 'followup-record', 'rating', '8分', 'out-of-range'],
    ['报修 3-2-501 漏水 电话 12345', 'repair-create', 'phone', '12345', 'format'],
    ['报修 3-2-501 漏水 预约9点', 'repair-create', 'appointment', '9点', 'ambiguous-time'],
    ['报修 3-2-501 漏水 预约 2026-11-20 10:00', 'repair-create', 'appointment', '2026-11-20 10:00', 'past'],
    ['报修 3-2-501 漏水 预约明天下午5点到3点', 'repair-create', 'appointment', '明天下午5点到3点', 'range'],
    ['帮助 飞行', 'help', 'topic', '飞行', 'unknown-command'],
  ])('%s → invalid %s.%s', (text, command, argument, value, reason) => {
    expect(failure(text).error).toMatchObject({ kind: 'invalid-argument', command, argument, value, reason })
  })

  it('hands an @Name without a platform mention on as a name to look up', () => {
    expect(parseText('派单 #1023 @路人甲', [])).toEqual({ ok: true, command: 'assign', language: 'zh', args: { ticket: 1023, assignee: { memberName: '路人甲' } } })
    expect(parseText('派单 #1023 @张师傅，尽快', [])).toMatchObject({ ok: true, args: { assignee: { memberName: '张师傅' } } })
    expect(parseText('assign #7 @ＭＡＸ', [])).toMatchObject({ ok: true, args: { assignee: { memberName: 'MAX' } } })
  })

  it('quotes the value, explains the format and shows an example', () => {
    const reply = errorReply(catalog, failure('报修 3-2-501 漏水 电话 12345'))
    expect(reply.lines).toEqual([
      '无法识别的联系电话：「12345」。',
      '联系电话：手机号如 13800138000，或座机如 010-12345678',
      '用法：报修 <房号> <报修内容> [紧急程度] [联系电话] [预约时间]',
      '示例：报修 3-2-501 厨房水管漏水 紧急',
    ])
  })

  it('asks for a date when a bare hour has already passed', () => {
    const reply = errorReply(catalog, failure('报修 3-2-501 漏水 预约9点'))
    expect(reply.lines[0]).toContain('请写明日期或上午/下午')
  })
})

describe('not-a-command reply', () => {
  it('points to help', () => {
    expect(errorReply(catalog, failure('今天天气不错')).lines[0]).toContain('帮助')
  })
})
