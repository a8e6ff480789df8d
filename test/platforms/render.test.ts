import { describe, expect, it } from 'vitest'
import type { Reply } from '../../src/messages/reply.ts'
import { renderLarkMessage } from '../../src/platforms/lark/render.ts'
import { renderWecomMarkdown, renderWecomText, splitLine, utf8Bytes } from '../../src/platforms/wecom/render.ts'

const reply = (patch: Partial<Reply>): Reply => ({ lines: [], mentions: [], buttons: [], ...patch })
const bytes = (text: string) => Buffer.byteLength(text, 'utf8')
/** The request body the send API would get. */
const larkBodyBytes = (m: { msg_type: string; content: string }) =>
  bytes(JSON.stringify({ receive_id: 'oc_5ce6d572455d361153b7xx51da133945', msg_type: m.msg_type, content: m.content, uuid: 'x'.repeat(50) }))

/** Every `**` opens or closes a pair within the piece. */
const boldBalanced = (text: string) => (text.match(/\*\*/g)?.length ?? 0) % 2 === 0

describe('renderWecomMarkdown', () => {
  it('renders heading, mentions, bold lines and button hints', () => {
    const pieces = renderWecomMarkdown(
      reply({
        heading: '新报修 #1023',
        lines: ['地址：**3-2-501**', '问题：漏水'],
        mentions: [{ userId: 'zhangsan', name: '张三' }],
        buttons: [{ label: '接单', command: '接单 #1023' }],
      }),
    )
    expect(pieces).toEqual([
      '**新报修 #1023**\n<@zhangsan>\n地址：**3-2-501**\n问题：漏水\n<font color="comment">接单：回复「接单 #1023」</font>',
    ])
  })

  it('splits on line boundaries within 4096 bytes without cutting characters', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `第${i}行：水管漏水，请尽快处理 😀`)
    const pieces = renderWecomMarkdown(reply({ lines }))
    expect(pieces.length).toBeGreaterThan(1)
    for (const piece of pieces) {
      expect(bytes(piece)).toBeLessThanOrEqual(4096)
      expect(piece).not.toContain('\uFFFD')
    }
    expect(pieces.join('\n').split('\n')).toEqual(lines)
  })

  it('cuts a single over-long line at grapheme boundaries, outside bold / mention / font', () => {
    const unit = '汉字👨‍👩‍👧 **加粗文字** <@lisi> <font color="warning">警告</font> '
    const line = unit.repeat(120)
    const pieces = renderWecomMarkdown(reply({ lines: [line] }))
    expect(pieces.length).toBeGreaterThan(1)
    expect(pieces.join('')).toBe(line)
    for (const piece of pieces) {
      expect(bytes(piece)).toBeLessThanOrEqual(4096)
      expect(boldBalanced(piece)).toBe(true)
      expect(piece.match(/<font/g)?.length ?? 0).toBe(piece.match(/<\/font>/g)?.length ?? 0)
      expect(piece).not.toMatch(/<@[^>]*$/)
      expect(piece).not.toMatch(/^\u200d|\u200d$/)
    }
    // No family emoji (one grapheme of 5 code points) was cut in half.
    expect(pieces.reduce((n, piece) => n + piece.split('👨‍👩‍👧').length - 1, 0)).toBe(120)
  })

  it('re-wraps a bold run longer than a whole message', () => {
    const line = `**${'粗'.repeat(3000)}**`
    const pieces = renderWecomMarkdown(reply({ lines: [line] }))
    expect(pieces.length).toBe(3)
    for (const piece of pieces) {
      expect(bytes(piece)).toBeLessThanOrEqual(4096)
      expect(piece).toMatch(/^\*\*粗+\*\*$/)
    }
    expect(pieces.join('').replaceAll('*', '')).toBe('粗'.repeat(3000))
  })

  it('splitLine never exceeds the limit at every size around a multibyte boundary', () => {
    const line = '漏水a😀'.repeat(50)
    for (let max = 4; max < 40; max++) {
      const fragments = splitLine(line, max, { measure: utf8Bytes, constructs: /(?!)/g })
      expect(fragments.join('')).toBe(line)
      for (const f of fragments) expect(bytes(f)).toBeLessThanOrEqual(max)
    }
  })
})

describe('renderWecomText', () => {
  it('drops bold markers, keeps mentions in mentioned_list, and stays within 2048 bytes', () => {
    const pieces = renderWecomText(reply({ heading: '**提醒**', lines: ['请 **尽快** 处理', ...Array(200).fill('预约：会议室 A 14:00-15:00')], mentions: [{ userId: 'wangwu', name: '王五' }] }))
    expect(pieces[0].mentioned_list).toEqual(['wangwu'])
    expect(pieces[0].content.startsWith('提醒\n请 尽快 处理')).toBe(true)
    for (const p of pieces) expect(bytes(p.content)).toBeLessThanOrEqual(2048)
    expect(pieces.slice(1).every((p) => p.mentioned_list === undefined)).toBe(true)
  })
})

describe('renderLarkMessage', () => {
  it('plain lines → text with <at> mentions', () => {
    const [message, ...rest] = renderLarkMessage(reply({ lines: ['已派单 #1023'], mentions: [{ userId: 'ou_li', name: '李师傅' }] }))
    expect(rest).toEqual([])
    expect(message.msg_type).toBe('text')
    expect(JSON.parse(message.content)).toEqual({ text: '<at user_id="ou_li">李师傅</at>\n已派单 #1023' })
  })

  it('heading or bold → post (zh_cn) with bold style and at elements', () => {
    const [message] = renderLarkMessage(reply({ heading: '今日汇总', lines: ['新增 **3** 单', ''], mentions: [{ userId: 'ou_li', name: '李师傅' }] }))
    expect(message.msg_type).toBe('post')
    expect(JSON.parse(message.content)).toEqual({
      zh_cn: {
        title: '今日汇总',
        content: [
          [{ tag: 'at', user_id: 'ou_li', user_name: '李师傅' }, { tag: 'text', text: ' ' }],
          [{ tag: 'text', text: '新增 ' }, { tag: 'text', text: '3', style: ['bold'] }, { tag: 'text', text: ' 单' }],
          [{ tag: 'text', text: '' }],
        ],
      },
    })
  })

  it('buttons → interactive card whose button values carry the command', () => {
    const [message] = renderLarkMessage(
      reply({ heading: '新报修 #1023', lines: ['**漏水**'], mentions: [{ userId: 'ou_li', name: '李师傅' }], buttons: [{ label: '接单', command: '接单 #1023' }, { label: '转派', command: '转派 #1023' }] }),
    )
    expect(message.msg_type).toBe('interactive')
    const card = JSON.parse(message.content)
    expect(card.header.title.content).toBe('新报修 #1023')
    expect(card.elements[0]).toEqual({ tag: 'div', text: { tag: 'lark_md', content: '<at id=ou_li></at>\n**漏水**' } })
    expect(card.elements[1].actions.map((a: any) => [a.text.content, a.value])).toEqual([
      ['接单', { command: '接单 #1023' }],
      ['转派', { command: '转派 #1023' }],
    ])
  })

  it('splits a long post within 30 KB per request, bold pairs intact, heading first only', () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `**${i}** 号：住户反映"厨房"水管漏水，需要上门 😀`)
    const messages = renderLarkMessage(reply({ heading: '本周工单', lines }))
    expect(messages.length).toBeGreaterThan(1)
    const seen: string[] = []
    messages.forEach((m, index) => {
      expect(m.msg_type).toBe('post')
      expect(larkBodyBytes(m)).toBeLessThanOrEqual(30 * 1024)
      const post = JSON.parse(m.content).zh_cn
      expect(post.title).toBe(index === 0 ? '本周工单' : '')
      for (const paragraph of post.content) {
        expect(paragraph[0]).toMatchObject({ style: ['bold'] })
        seen.push(paragraph.map((e: any) => (e.style ? `**${e.text}**` : e.text)).join(''))
      }
    })
    expect(seen).toEqual(lines)
  })

  it('splits a long text within 150 KB and a card within 30 KB, buttons on the last card only', () => {
    const text = renderLarkMessage(reply({ lines: Array(6000).fill('预约 会议室 A 14:00-15:00 "需要投影"') }))
    expect(text.length).toBeGreaterThan(1)
    for (const m of text) expect(larkBodyBytes(m)).toBeLessThanOrEqual(150 * 1024)

    const cards = renderLarkMessage(reply({ lines: Array(1500).fill('**待办** 回访 3-2-501'), buttons: [{ label: '完成', command: '完成 #1' }] }))
    expect(cards.length).toBeGreaterThan(1)
    cards.forEach((m, index) => {
      expect(larkBodyBytes(m)).toBeLessThanOrEqual(30 * 1024)
      const elements = JSON.parse(m.content).elements
      expect(elements.some((e: any) => e.tag === 'action')).toBe(index === cards.length - 1)
      expect(boldBalanced(elements[0].text.content)).toBe(true)
    })
  })
})
