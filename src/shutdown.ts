import type { Logger } from 'pino'

/** Named closing tasks that may run together; stages run one after another. */
export type ShutdownStage = Record<string, () => Promise<unknown>>

/** Exit code when a second SIGTERM/SIGINT cuts a graceful stop short (the shell's code for Ctrl-C). */
export const FORCED_EXIT_CODE = 130
/** Exit code when the graceful stop outlives its deadline. */
export const TIMED_OUT_EXIT_CODE = 1

export interface ShutdownOptions {
  log: Logger
  timeoutMs: number
  /** Built when the first signal arrives, from whatever this process runs. */
  stages: () => ShutdownStage[]
  exit?: (code: number) => void
}

/**
 * SIGTERM or SIGINT runs the stages in order and exits 0. The whole stop is bounded by
 * `timeoutMs`, and a second signal exits at once; either way the log says what was still running.
 */
export function exitGracefullyOnSignals(options: ShutdownOptions): void {
  const exit = options.exit ?? ((code: number) => process.exit(code))
  const { log } = options
  let pending: Set<string> | null = null

  const onSignal = (signal: NodeJS.Signals) => {
    if (pending) {
      log.warn({ signal, stillRunning: [...pending] }, 'second signal: exiting without waiting')
      return exit(FORCED_EXIT_CODE)
    }
    const stages = options.stages()
    const running = new Set(stages.flatMap((stage) => Object.keys(stage)))
    pending = running
    log.info({ signal, timeoutMs: options.timeoutMs }, 'shutting down: no new requests, finishing in-flight jobs (signal again to force)')
    const deadline = setTimeout(() => {
      log.error({ stillRunning: [...running], timeoutMs: options.timeoutMs }, 'shutdown took too long: exiting without waiting')
      exit(TIMED_OUT_EXIT_CODE)
    }, options.timeoutMs)
    void runStages(stages, running, log).then(() => {
      clearTimeout(deadline)
      exit(0)
    })
  }
  process.on('SIGTERM', onSignal)
  process.on('SIGINT', onSignal)
}

async function runStages(stages: ShutdownStage[], running: Set<string>, log: Logger): Promise<void> {
  for (const stage of stages) {
    await Promise.all(
      Object.entries(stage).map(async ([name, close]) => {
        try {
          await close()
        } catch (error) {
          log.warn({ task: name, err: (error as Error).message }, 'could not close cleanly')
        } finally {
          running.delete(name)
        }
      }),
    )
  }
}
