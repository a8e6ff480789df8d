import { readFileSync } from 'node:fs'
import { expect } from 'vitest'
import { PlatformError } from '../../src/platforms/errors.ts'

/** Golden vectors, copied verbatim from the shared reference set (platforms.md §7). */
export function loadVector<T = any>(name: string): T {
  return JSON.parse(readFileSync(new URL(`./vectors/${name}`, import.meta.url), 'utf8')) as T
}

/** Runs fn and returns what it threw; fails the test when it does not throw. */
export function catchError(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('expected an error')
}

/** Awaits a platform call that must fail, and returns its classified error. */
export async function platformFailure(promise: Promise<unknown>): Promise<PlatformError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(PlatformError)
  return error as PlatformError
}

/** WeCom replay-window checks as of the moment a (recorded) request was signed: vectors keep their old timestamps. */
export function atSendTime(query: { timestamp?: unknown }, windowSeconds = 300): { now: Date; windowSeconds: number } {
  return { now: new Date(Number(query.timestamp) * 1000), windowSeconds }
}
