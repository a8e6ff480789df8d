import type { Reply } from '../../messages/reply.ts'

/*
 * Line packing shared by both renderers (the Lark renderer imports it): a reply is cut into
 * messages on line boundaries; a line too long on its own is cut between graphemes, never inside
 * a markup construct. A construct longer than a whole message is re-wrapped around each piece
 * (`**ab` + `cd**` becomes `**ab**`, `**cd**`).
 */

/** Size of a piece of text as the platform counts it; must be additive over concatenation. */
export type Measure = (text: string) => number

export interface SplitRules {
  measure: Measure
  /** Constructs that must stay whole: a global regex. */
  constructs: RegExp
  /** open / inner / close of a construct that can be re-wrapped when it is too long (bold, font). */
  wrapper?: RegExp
}

const graphemes = new Intl.Segmenter('zh', { granularity: 'grapheme' })

function tokenize(line: string, constructs: RegExp): string[] {
  const tokens: string[] = []
  let last = 0
  const chars = (text: string) => {
    for (const { segment } of graphemes.segment(text)) tokens.push(segment)
  }
  for (const match of line.matchAll(new RegExp(constructs.source, constructs.flags.includes('g') ? constructs.flags : constructs.flags + 'g'))) {
    chars(line.slice(last, match.index))
    tokens.push(match[0])
    last = match.index + match[0].length
  }
  chars(line.slice(last))
  return tokens
}

/** Cuts one line into fragments of at most `max` (as measured), between graphemes and constructs. */
export function splitLine(line: string, max: number, rules: SplitRules): string[] {
  if (rules.measure(line) <= max) return [line]
  const fragments: string[] = []
  let current = ''
  let size = 0
  const push = (token: string, tokenSize: number) => {
    if (size + tokenSize > max && current !== '') {
      fragments.push(current)
      current = ''
      size = 0
    }
    current += token
    size += tokenSize
  }
  for (const token of tokenize(line, rules.constructs)) {
    const tokenSize = rules.measure(token)
    if (tokenSize <= max) {
      push(token, tokenSize)
      continue
    }
    const parts = rules.wrapper ? rules.wrapper.exec(token) : null
    if (parts) {
      // A construct bigger than a message: re-wrap each piece of its inside.
      const [, open, inner, close] = parts
      const overhead = rules.measure(open) + rules.measure(close)
      for (const piece of splitLine(inner, Math.max(1, max - overhead), rules)) push(open + piece + close, rules.measure(open + piece + close))
    } else {
      for (const { segment } of graphemes.segment(token)) push(segment, rules.measure(segment))
    }
  }
  if (current !== '') fragments.push(current)
  return fragments
}

/** Groups lines into messages of at most `max`, counting `separatorSize` between lines (a newline by default). */
export function packLines(lines: string[], max: number, rules: SplitRules, separatorSize = rules.measure('\n')): string[][] {
  const chunks: string[][] = []
  let current: string[] = []
  let size = 0
  // A line with its own line breaks counts as several lines.
  for (const line of lines.flatMap((l) => l.split(/\r?\n/)).flatMap((l) => splitLine(l, max, rules))) {
    const lineSize = rules.measure(line)
    if (current.length > 0 && size + separatorSize + lineSize > max) {
      chunks.push(current)
      current = []
      size = 0
    }
    size += current.length === 0 ? lineSize : separatorSize + lineSize
    current.push(line)
  }
  if (current.length > 0) chunks.push(current)
  return chunks
}

/**
 * Like packLines, but when `note` is given and the lines need more than one message, keeps one:
 * the leading lines that fit beside the note, then the note itself (whole lines only).
 */
export function packOrTrim(lines: string[], max: number, rules: SplitRules, note: string | undefined, separatorSize = rules.measure('\n')): string[][] {
  const chunks = packLines(lines, max, rules, separatorSize)
  if (note === undefined || chunks.length <= 1) return chunks
  const [first = []] = packLines(lines, max - rules.measure(note) - separatorSize, rules, separatorSize)
  return [[...first, note]]
}

export const utf8Bytes: Measure = (text) => Buffer.byteLength(text, 'utf8')

/** WeCom markdown content limit, in UTF-8 bytes (platforms.md §2.1). */
export const WECOM_MARKDOWN_MAX_BYTES = 4096
/** Markdown content limit of an app message (message/send), in UTF-8 bytes: half the webhook's. */
export const WECOM_APP_MARKDOWN_MAX_BYTES = 2048
/** WeCom text content limit, in UTF-8 bytes (platforms.md §2.1). */
export const WECOM_TEXT_MAX_BYTES = 2048

// The WeCom markdown subset (platforms.md §2.1): font colours, bold, <@userid>, links, inline code.
const markdownRules: SplitRules = {
  measure: utf8Bytes,
  constructs: /<font color="[a-z]+">[\s\S]*?<\/font>|\*\*[^*\n]+?\*\*|<@[^>\s]+>|\[[^\]\n]*\]\([^)\s]*\)|`[^`\n]+`/g,
  wrapper: /^(<font color="[a-z]+">|\*\*)([\s\S]*)(<\/font>|\*\*)$/,
}

/** Buttons have no markdown equivalent: tell people what to type instead. */
export function buttonHint(button: Reply['buttons'][number]): string {
  const reply = `回复「${button.command}」`
  return button.label && button.label !== button.command ? `${button.label}：${reply}` : reply
}

/**
 * Renders a reply as WeCom markdown pieces, each within `maxBytes` (4096 for webhooks, 2048 for app
 * messages): heading in bold, mentions as `<@userid>` (markdown supports them in content,
 * platforms.md §2.1), lines as given, buttons as grey "回复「…」" hints.
 */
export function renderWecomMarkdown(reply: Reply, maxBytes: number = WECOM_MARKDOWN_MAX_BYTES): string[] {
  const lines: string[] = []
  if (reply.heading) lines.push(`**${reply.heading}**`)
  if (reply.mentions.length > 0) lines.push(reply.mentions.map((m) => `<@${m.userId}>`).join(' '))
  lines.push(...reply.lines)
  for (const button of reply.buttons) lines.push(`<font color="comment">${buttonHint(button)}</font>`)
  return packOrTrim(lines, maxBytes, markdownRules, reply.overflowNote).map((chunk) => chunk.join('\n'))
}

export interface WecomTextPiece {
  content: string
  mentioned_list?: string[]
}

const textRules: SplitRules = { measure: utf8Bytes, constructs: /(?!)/g }

/**
 * Plain-text variant (text messages, 2048 bytes): bold markers dropped, mentions through
 * mentioned_list on the first piece.
 */
export function renderWecomText(reply: Reply): WecomTextPiece[] {
  const plain = (line: string) => line.replace(/\*\*([^*\n]+?)\*\*/g, '$1')
  const lines = [...(reply.heading ? [plain(reply.heading)] : []), ...reply.lines.map(plain)]
  for (const button of reply.buttons) lines.push(buttonHint(button))
  const pieces = packOrTrim(lines.length > 0 ? lines : [' '], WECOM_TEXT_MAX_BYTES, textRules, reply.overflowNote).map((chunk) => ({ content: chunk.join('\n') }))
  if (reply.mentions.length === 0) return pieces
  const [first, ...rest] = pieces
  return [{ ...first, mentioned_list: reply.mentions.map((m) => m.userId) }, ...rest]
}
