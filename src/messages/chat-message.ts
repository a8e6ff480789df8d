import { z } from 'zod'

/**
 * A chat message from any platform, after verification and decryption: what the command layer sees.
 * Nothing platform-specific beyond ids travels further up.
 */
export const chatMessageSchema = z.object({
  platform: z.enum(['lark', 'wecom', 'console']),
  /** The PlatformConnection it arrived through (null for the console). */
  connectionId: z.string().nullable(),
  /** The platform's chat id (Lark oc_…, WeCom chatid, console group id). */
  chatId: z.string().min(1),
  chatType: z.enum(['group', 'direct']),
  sender: z.object({ userId: z.string().min(1), name: z.string().optional() }),
  /** The text with the bot's own @-mention removed; other mentions become "@Name". */
  text: z.string(),
  /** Members @-mentioned in the text (never the bot itself), in order. */
  mentions: z.array(z.object({ userId: z.string(), name: z.string() })).default([]),
  /** Id of the platform message, to reply in its thread. */
  messageId: z.string().min(1),
  /** WeCom intelligent-robot reply URL: usable once, for one hour. */
  replyUrl: z.string().optional(),
  receivedAt: z.string(),
})

export type ChatMessage = z.infer<typeof chatMessageSchema>
