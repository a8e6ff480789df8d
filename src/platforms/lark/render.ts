import type { Reply } from '../../messages/reply.ts'
import { packOrTrim, type Measure, type SplitRules } from '../wecom/render.ts'
import type { LarkOutboundMessage } from './api.ts'

/*
 * Lark limits apply to the request body (platforms.md §3.9): text ≤ 150 KB, post and card ≤ 30 KB.
 * `content` is a JSON string inside the JSON body, so text is escaped twice; sizes below count that.
 */
const TEXT_MAX_BYTES = 150 * 1024
const RICH_MAX_BYTES = 30 * 1024
/** Room for receive_id, uuid, msg_type and the body's own braces. */
const ENVELOPE_BYTES = 1024

/** Bytes of `text` once escaped into content and content into the body. */
const bodyBytes: Measure = (text) => Buffer.byteLength(JSON.stringify(JSON.stringify(text).slice(1, -1)).slice(1, -1), 'utf8')

const BOLD = /\*\*[^*\n]+?\*\*/g
/** A bold run becomes its own post element plus a new text element after it. */
const POST_ELEMENT_BYTES = bodyBytes('{"tag":"text","text":"","style":["bold"]},{"tag":"text","text":""},')
const postRules: SplitRules = {
  measure: (text) => bodyBytes(text) + (text.match(BOLD)?.length ?? 0) * POST_ELEMENT_BYTES,
  constructs: BOLD,
  wrapper: /^(\*\*)([\s\S]*)(\*\*)$/,
}
const plainRules: SplitRules = { measure: bodyBytes, constructs: /<at user_id="[^"]*">[^<]*<\/at>/g }
const cardRules: SplitRules = { measure: bodyBytes, constructs: /\*\*[^*\n]+?\*\*|<at id=[^>]*><\/at>/g, wrapper: postRules.wrapper }

const POST_PARAGRAPH_BYTES = bodyBytes('[{"tag":"text","text":""}],')

function escapeAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function hasBold(reply: Reply): boolean {
  return reply.lines.some((line) => new RegExp(BOLD.source).test(line))
}

type PostElement = { tag: 'text'; text: string; style?: string[] } | { tag: 'at'; user_id: string; user_name?: string }

function postParagraph(line: string): PostElement[] {
  const elements: PostElement[] = []
  let last = 0
  for (const match of line.matchAll(BOLD)) {
    if (match.index > last) elements.push({ tag: 'text', text: line.slice(last, match.index) })
    elements.push({ tag: 'text', text: match[0].slice(2, -2), style: ['bold'] })
    last = match.index + match[0].length
  }
  if (last < line.length || elements.length === 0) elements.push({ tag: 'text', text: line.slice(last) })
  return elements
}

function renderText(reply: Reply): LarkOutboundMessage[] {
  // Mentions use <at user_id="ou_…">Name</at> in text content (platforms.md §3.9).
  const mentions = reply.mentions.map((m) => `<at user_id="${escapeAttr(m.userId)}">${escapeAttr(m.name)}</at>`).join(' ')
  const lines = mentions ? [mentions, ...reply.lines] : reply.lines
  return packOrTrim(lines.length > 0 ? lines : [' '], TEXT_MAX_BYTES - ENVELOPE_BYTES, plainRules, reply.overflowNote).map((chunk) => ({
    msg_type: 'text',
    content: JSON.stringify({ text: chunk.join('\n') }),
  }))
}

function renderPost(reply: Reply): LarkOutboundMessage[] {
  const title = reply.heading ?? ''
  const mentionParagraph: PostElement[] = reply.mentions.flatMap((m): PostElement[] => [
    { tag: 'at', user_id: m.userId, user_name: m.name },
    { tag: 'text', text: ' ' },
  ])
  const fixed = bodyBytes(JSON.stringify({ zh_cn: { title, content: [mentionParagraph] } })) + ENVELOPE_BYTES
  // Each line is a paragraph: its overhead stands in for the newline separator.
  const chunks = packOrTrim(reply.lines.length > 0 ? reply.lines : [''], RICH_MAX_BYTES - fixed, postRules, reply.overflowNote, POST_PARAGRAPH_BYTES)
  return chunks.map((chunk, index) => {
    const paragraphs = chunk.map(postParagraph)
    if (index === 0 && mentionParagraph.length > 0) paragraphs.unshift(mentionParagraph)
    return { msg_type: 'post', content: JSON.stringify({ zh_cn: { title: index === 0 ? title : '', content: paragraphs } }) }
  })
}

interface CardButton {
  tag: 'button'
  text: { tag: 'plain_text'; content: string }
  type: 'primary' | 'default'
  value: { command: string }
}

function renderCard(reply: Reply, imageKey?: string): LarkOutboundMessage[] {
  // Card 1.0 JSON: lark_md keeps **bold**; mentions are <at id=ou_…></at> there.
  const header = reply.heading ? { title: { tag: 'plain_text', content: reply.heading }, template: 'blue' } : undefined
  const actions: CardButton[] = reply.buttons.map((b, i) => ({
    tag: 'button',
    text: { tag: 'plain_text', content: b.label },
    type: i === 0 ? 'primary' : 'default',
    value: { command: b.command },
  }))
  // The picture (an uploaded image_key) closes the card, as it closes the reply.
  const image = imageKey ? { tag: 'img', img_key: imageKey, alt: { tag: 'plain_text', content: reply.heading ?? '' } } : undefined
  const mentions = reply.mentions.map((m) => `<at id=${m.userId}></at>`).join(' ')
  const lines = mentions ? [mentions, ...reply.lines] : reply.lines
  const card = (content: string, first: boolean, last: boolean) => ({
    config: { wide_screen_mode: true },
    ...(first && header ? { header } : {}),
    elements: [
      ...(content ? [{ tag: 'div', text: { tag: 'lark_md', content } }] : []),
      ...(last && image ? [image] : []),
      ...(last && actions.length > 0 ? [{ tag: 'action', actions }] : []),
    ],
  })
  const fixed = bodyBytes(JSON.stringify(card('', true, true))) + bodyBytes('{"tag":"div","text":{"tag":"lark_md","content":""}},') + ENVELOPE_BYTES
  const chunks = packOrTrim(lines, RICH_MAX_BYTES - fixed, cardRules, reply.overflowNote)
  if (chunks.length === 0) chunks.push([])
  return chunks.map((chunk, index) => ({
    msg_type: 'interactive',
    content: JSON.stringify(card(chunk.join('\n'), index === 0, index === chunks.length - 1)),
  }))
}

/**
 * Renders a reply for the Lark send/reply APIs: buttons or a picture → interactive card (button
 * value carries {command}; the picture as an img element of its uploaded `imageKey`); heading or
 * **bold** → post (zh_cn); otherwise text. Long replies become several messages, cut on line
 * boundaries within Lark's size limits, or one trimmed message when the reply has an overflow note.
 */
export function renderLarkMessage(reply: Reply, options: { imageKey?: string } = {}): LarkOutboundMessage[] {
  if (reply.buttons.length > 0 || options.imageKey) return renderCard(reply, options.imageKey)
  if (reply.heading || hasBold(reply)) return renderPost(reply)
  return renderText(reply)
}
