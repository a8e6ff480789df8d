import type { FastifyRequest } from 'fastify'
import { InvalidRequest } from './validation.ts'

/**
 * PostgreSQL refuses a NUL byte in text and in jsonb, so a "%00" in a path segment or query, or a
 * "\u0000" in a JSON body, would surface as a database error (500) wherever it reaches a query.
 * No legitimate id, name or message holds one: refuse them all up front with a 400 naming the
 * field. Webhook bodies are raw bytes (undefined here) and are checked by their own parsers.
 */
export async function refuseNulBytes(request: FastifyRequest): Promise<void> {
  const fields = [
    ...nulFields('path', request.params),
    ...nulFields('query', request.query),
    ...nulFields('body', request.body),
  ]
  if (fields.length) throw new InvalidRequest(fields.slice(0, 20).map((field) => ({ field, message: 'must not contain a NUL character' })))
}

/** Dotted paths of every string (value or key) holding U+0000, walked without recursion so deep bodies cannot overflow the stack. */
function nulFields(root: string, value: unknown): string[] {
  const found: string[] = []
  const stack: [string, unknown][] = [[root, value]]
  while (stack.length && found.length < 20) {
    const [path, current] = stack.pop()!
    if (typeof current === 'string') {
      if (current.includes('\u0000')) found.push(path)
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, child] of Object.entries(current)) {
        const childPath = `${path}.${key.replaceAll('\u0000', '\\0')}`
        if (key.includes('\u0000')) found.push(childPath)
        else stack.push([childPath, child])
      }
    }
  }
  return found
}
