import type { Reply } from '../../messages/reply.ts'

/** The console shows plain text: mentions first, then heading, lines and button hints. */
export function renderConsoleText(reply: Reply): string {
  const parts: string[] = []
  const mentions = reply.mentions.map((m) => `@${m.name}`).join(' ')
  const heading = reply.heading ? `【${reply.heading}】` : ''
  const first = [mentions, heading].filter(Boolean).join(' ')
  if (first) parts.push(first)
  parts.push(...reply.lines)
  if (reply.buttons.length) parts.push(reply.buttons.map((b) => `[${b.label}: ${b.command}]`).join(' '))
  return parts.join('\n')
}
