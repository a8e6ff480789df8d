import { expect } from 'vitest'
import type { TestEnv } from './harness.ts'
import { waitFor } from './wait.ts'

export interface ConsoleMessage {
  id: string
  at: string
  text: string
}

/**
 * A conversation in one console group: `say` posts as a member and waits for the bot's answer;
 * `messages` reads everything the bot posted there. Failures show what was sent and received.
 */
export function consoleGroup(env: TestEnv, groupId: string) {
  let seen = 0
  const read = async (): Promise<ConsoleMessage[]> => {
    const response = await env.app.inject({ method: 'GET', url: `/console/groups/${groupId}/messages` })
    return (response.json() as { messages: ConsoleMessage[] }).messages
  }
  return {
    read,
    /** Posts `text` as the member and returns the bot's next message in this group. */
    async say(memberId: string, text: string, options: { messageId?: string } = {}): Promise<string> {
      const before = (await read()).length
      seen = Math.max(seen, before)
      const response = await env.app.inject({ method: 'POST', url: `/console/groups/${groupId}/messages`, payload: { memberId, text, ...options } })
      expect(response.statusCode, `posting "${text}": ${response.body}`).toBe(202)
      const messages = await waitFor(async () => {
        const all = await read()
        return all.length > seen ? all : null
      }, { what: `a reply to "${text}"`, timeoutMs: 15_000 })
      const answer = messages[seen]
      seen += 1
      return answer.text
    },
    /** Waits until a message matching `pattern` has been posted in the group, and returns it. */
    async expectMessage(pattern: RegExp, timeoutMs = 15_000): Promise<string> {
      const found = await waitFor(async () => (await read()).find((m) => pattern.test(m.text)), { what: `a message matching ${pattern}`, timeoutMs })
      return found.text
    },
    async count(pattern: RegExp): Promise<number> {
      return (await read()).filter((m) => pattern.test(m.text)).length
    },
  }
}
