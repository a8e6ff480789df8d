import { BadInput } from '../errors.ts'
import type { ChatMessage } from '../messages/chat-message.ts'

/**
 * PostgreSQL cannot hold U+0000 in text or jsonb, nor a lone UTF-16 surrogate in jsonb. What
 * people wrote is cleaned (the NUL dropped, a broken surrogate shown as U+FFFD); an id or key with
 * a NUL is not something a platform sends, so it is refused.
 */
export function cleanForStorage(message: ChatMessage, dedupeKey: string): ChatMessage {
  for (const [field, value] of [
    ['dedupeKey', dedupeKey],
    ['messageId', message.messageId],
    ['chatId', message.chatId],
    ['sender.userId', message.sender.userId],
  ] as const) {
    if (value.includes('\u0000')) throw new BadInput(`${field} contains a NUL character`)
  }
  return cleanStrings(message)
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one (code units, no `u` flag).
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** The string with each lone surrogate shown as U+FFFD, as its UTF-8 encoding would store it. */
export function wellFormed(text: string): string {
  return text.replace(loneSurrogate, '\uFFFD')
}

function cleanStrings<T>(value: T): T {
  if (typeof value === 'string') return wellFormed(value.replaceAll('\u0000', '')) as T
  if (Array.isArray(value)) return value.map(cleanStrings) as T
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, cleanStrings(inner)])) as T
  return value
}
