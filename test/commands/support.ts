import type { Mention } from '../../src/messages/reply.ts'
import { loadCatalog } from '../../src/commands/catalog.ts'
import { parse } from '../../src/commands/parse/parser.ts'

export const catalog = loadCatalog()

/** Monday 2026-11-23, 10:00 in Shanghai. */
export const now = new Date('2026-11-23T10:00:00+08:00')
export const botNames = ['frontdesk', '前台助手']

/** A Shanghai wall-clock time as the ISO instant the parser returns. */
export function sh(local: string): string {
  return new Date(`${local}+08:00`).toISOString()
}

/** The mentions a platform would attach: one per "@Name" in the text that is not the bot. */
export function mentionsIn(text: string): Mention[] {
  return [...text.normalize('NFKC').matchAll(/@([^\s@#＃,，]+)/g)]
    .map((m) => m[1])
    .filter((name) => !botNames.includes(name.toLowerCase()))
    .map((name) => ({ userId: `u_${name}`, name }))
}

export function parseText(text: string, mentions: Mention[] = mentionsIn(text)) {
  return parse(text, { catalog, mentions, now, timeZone: 'Asia/Shanghai', botNames })
}
