import { AsyncLocalStorage } from 'node:async_hooks'
import type { Prisma } from '../generated/prisma/client.ts'

type Tx = Prisma.TransactionClient

/** Work that must commit or roll back together with a chat command's own write. */
export interface CommandHooks {
  /** At the start of the write's transaction (e.g. claim the message as handled). */
  before?: (tx: Tx) => Promise<void>
  /** At its end, with what the write returned (e.g. store the messages it causes). */
  after?: (tx: Tx, result: unknown) => Promise<void>
  /** Set by the command layer once it knows which command the message is (for the log line). */
  command?: string
}

const scope = new AsyncLocalStorage<CommandHooks>()

/**
 * Runs a chat command with hooks that every domain write inside it runs in its transaction.
 * The inbox uses them to mark the message handled, and to store the notifications the command
 * causes, atomically with what the command changed: a crash at any point leaves either nothing
 * or everything, and a retry never runs the command twice. The domain knows only that such
 * hooks may exist, not what they do.
 */
export function withinCommand<T>(hooks: CommandHooks, fn: () => Promise<T>): Promise<T> {
  return scope.run(hooks, fn)
}

/** The command layer names the command it runs, so the inbox can log which one it handled. */
export function noteCommand(command: string): void {
  const hooks = scope.getStore()
  if (hooks) hooks.command = command
}

/** Called by domain writes at the start of their transaction. */
export async function runBeforeWrite(tx: Tx): Promise<void> {
  await scope.getStore()?.before?.(tx)
}

/** Called by domain writes at the end of their transaction. */
export async function runAfterWrite(tx: Tx, result: unknown): Promise<void> {
  await scope.getStore()?.after?.(tx, result)
}

type TransactionRunner = { $transaction<R>(fn: (tx: Tx) => Promise<R>): Promise<R> }

/**
 * Turns a domain operation `(tx, now, input)` into a call that runs it in one transaction with
 * the chat command's hooks around it, so every domain write commits together with its command's
 * bookkeeping. Each domain service builds its writes with this.
 */
export function commandWriter(prisma: TransactionRunner, clock: { now(): Date }) {
  return <Input, Result>(operation: (tx: Tx, now: Date, input: Input) => Promise<Result>) =>
    (input: Input): Promise<Result> =>
      prisma.$transaction(async (tx) => {
        await runBeforeWrite(tx)
        const result = await operation(tx, clock.now(), input)
        await runAfterWrite(tx, result)
        return result
      })
}
