import { readFileSync } from 'node:fs'

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
