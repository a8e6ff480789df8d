import { AsyncLocalStorage } from 'node:async_hooks'
import type { Prisma } from '../generated/prisma/client.ts'

type Tx = Prisma.TransactionClient

/** Work that must commit or roll back together with the command's own write. */
export type CommandHook = (tx: Tx) => Promise<void>

const scope = new AsyncLocalStorage<CommandHook>()

/**
 * Runs a chat command with a hook that every domain write inside it runs in its transaction.
 * The inbox uses it to mark the message handled atomically with what the command changed, so a
 * retry after a crash never runs the command twice. The domain knows only that such a hook may
 * exist, not what it does.
 */
export function withinCommand<T>(hook: CommandHook, fn: () => Promise<T>): Promise<T> {
  return scope.run(hook, fn)
}

/** Called by domain writes at the start of their transaction. */
export async function runCommandHook(tx: Tx): Promise<void> {
  await scope.getStore()?.(tx)
}
