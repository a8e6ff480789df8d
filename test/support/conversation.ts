import { randomUUID } from 'node:crypto'
import { expect } from 'vitest'
import type { TestEnv } from './harness.ts'
import { waitFor } from './wait.ts'

export interface ConsoleMessage {
  id: string
  at: string
  /** The console message this answers, for replies; absent for notifications. */
  replyTo?: string
  text: string
}

/**
 * A conversation in one console group: `say` posts as a member and waits for the bot's reply to
 * that very message; `expectMessage` waits for anything the bot posts there (notifications).
 * Failures say what was sent and what was expected.
 */
export function consoleGroup(env: TestEnv, groupId: string) {
  const read = async (): Promise<ConsoleMessage[]> => {
    const response = await env.app.inject({ method: 'GET', url: `/console/groups/${groupId}/messages` })
    return (response.json() as { messages: ConsoleMessage[] }).messages
  }
  return {
    read,
    /** Posts `text` as the member and returns the bot's reply to it. */
    async say(memberId: string, text: string, options: { messageId?: string } = {}): Promise<string> {
      const messageId = options.messageId ?? randomUUID()
      const response = await env.app.inject({ method: 'POST', url: `/console/groups/${groupId}/messages`, payload: { memberId, text, messageId } })
      expect(response.statusCode, `posting "${text}": ${response.body}`).toBe(202)
      const reply = await waitFor(async () => (await read()).find((m) => m.replyTo === messageId), { what: `a reply to "${text}"`, timeoutMs: 15_000 })
      return reply.text
    },
    /** Waits until a message matching `pattern` has been posted in the group, and returns it. */
    async expectMessage(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
      const found = await waitFor(async () => (await read()).find((m) => !m.replyTo && pattern.test(m.text)), { what: `a message matching ${pattern}`, timeoutMs })
      return found.text
    },
    /** Notifications (not replies) matching `pattern` posted so far. */
    async count(pattern: RegExp): Promise<number> {
      return (await read()).filter((m) => !m.replyTo && pattern.test(m.text)).length
    },
  }
}
