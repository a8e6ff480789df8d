import { z } from 'zod'

/**
 * What frontdesk says, independent of any platform. Each platform renders it within its own limits
 * (src/platforms/<name>/render.ts).
 *
 * Lines are plain text with one markdown-ish construct allowed: **bold**. A heading, if present,
 * is shown first and emphasised.
 */
export const mentionSchema = z.object({
  /** The platform's user id (Lark open_id, WeCom userid, console member id). */
  userId: z.string().min(1),
  name: z.string(),
})

export const replySchema = z.object({
  heading: z.string().optional(),
  lines: z.array(z.string()),
  /** Members to @-mention, shown before the text. */
  mentions: z.array(mentionSchema).default([]),
  /** Buttons that run a chat command when pressed (rendered as text hints where a platform has none). */
  buttons: z.array(z.object({ label: z.string(), command: z.string() })).default([]),
  /** A stored picture (ReportImage id) shown after the text: uploaded to Lark, sent as a WeCom image, served by the console. */
  image: z.object({ id: z.string().min(1) }).optional(),
  /**
   * When set, a reply too long for one message is trimmed to one instead of split: whole lines give
   * way from the end and this line (a link to the full text) closes it. Summaries use it.
   */
  overflowNote: z.string().optional(),
})

export type Mention = z.infer<typeof mentionSchema>
export type Reply = z.infer<typeof replySchema>

export function textReply(...lines: string[]): Reply {
  return { lines, mentions: [], buttons: [] }
}
