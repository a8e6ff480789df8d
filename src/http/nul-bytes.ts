import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify'
import { InvalidRequest } from './validation.ts'

/**
 * PostgreSQL refuses a NUL byte in text and in jsonb, so a "%00" in a path segment or query, or a
 * "\u0000" in a JSON body, would surface as a database error (500) wherever it reaches a query.
 * No legitimate id, name or message holds one: refuse them all up front with a 400 naming the
 * field. Webhook bodies are raw bytes (undefined here) and are checked by their own parsers.
 *
 * Every request passes here, so it is a callback hook (no promise) and the common case, no NUL
 * anywhere, is one walk that allocates nothing; the field paths are built only for a refusal.
 */
export function refuseNulBytes(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  if (!holdsNul(request.params) && !holdsNul(request.query) && !holdsNul(request.body)) return done()
  const fields = [...nulFields('path', request.params), ...nulFields('query', request.query), ...nulFields('body', request.body)]
  done(new InvalidRequest(fields.slice(0, 20).map((field) => ({ field, message: 'must not contain a NUL character' }))))
}

/** Whether any string (value or key) holds U+0000, walked without recursion so deep bodies cannot overflow the stack. */
function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000')
  if (typeof value !== 'object' || value === null) return false
  const stack: object[] = [value]
  while (stack.length) {
    const current = stack.pop()!
    for (const key in current) {
      if (!Object.hasOwn(current, key)) continue
      if (key.includes('\u0000')) return true
      const child = (current as Record<string, unknown>)[key]
      if (typeof child === 'string') {
        if (child.includes('\u0000')) return true
      } else if (typeof child === 'object' && child !== null) stack.push(child)
    }
  }
  return false
}

/** Dotted paths of every string (value or key) holding U+0000, walked like holdsNul; it stops looking once 20 are found. */
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
