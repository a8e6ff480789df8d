import type { Reply } from '../../messages/reply.ts'

/** Where the console serves a reply's picture: scoped by the group, so only its tenant's pictures answer. */
export function consoleImageUrl(publicBaseUrl: string, groupId: string, imageId: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/console/images/${encodeURIComponent(imageId)}?group=${encodeURIComponent(groupId)}`
}

/** The console shows plain text: mentions first, then heading, lines, button hints and the picture's URL. */
export function renderConsoleText(reply: Reply, options: { imageUrl?: string } = {}): string {
  const parts: string[] = []
  const mentions = reply.mentions.map((m) => `@${m.name}`).join(' ')
  const heading = reply.heading ? `【${reply.heading}】` : ''
  const first = [mentions, heading].filter(Boolean).join(' ')
  if (first) parts.push(first)
  parts.push(...reply.lines)
  if (reply.buttons.length) parts.push(reply.buttons.map((b) => `[${b.label}: ${b.command}]`).join(' '))
  if (options.imageUrl) parts.push(`[图片 image] ${options.imageUrl}`)
  return parts.join('\n')
}
