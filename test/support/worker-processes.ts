import { afterAll, expect } from 'vitest'
import type { TestEnv } from './harness.ts'
import { startFrontdesk, type RunningFrontdesk } from './process.ts'
import { testDatabaseUrl, testRedisUrl } from './services.ts'
import { waitFor } from './wait.ts'

/** The environment of a worker process on this test file's PostgreSQL schema and Redis prefix. */
function workerEnv(env: TestEnv): Record<string, string> {
  return {
    FRONTDESK_ROLE: 'worker',
    DATABASE_URL: `${testDatabaseUrl}?schema=${env.schema}`,
    REDIS_URL: testRedisUrl,
    REDIS_PREFIX: env.prefix,
    MASTER_KEY: env.config.MASTER_KEY!,
    ADMIN_TOKEN: env.config.ADMIN_TOKEN!,
    DEMO_SEED: 'false',
  }
}

/**
 * Separate worker processes (the compiled server with FRONTDESK_ROLE=worker) sharing the file's schema
 * and prefix, so the test process only serves HTTP and never runs a job. Every worker started is
 * stopped after the file; unless `cleanExit` is false (a test that kills one on purpose), each
 * must exit with 0. Call at the top level of a test file.
 */
export function workerProcesses(env: TestEnv, { cleanExit = true } = {}) {
  const running: RunningFrontdesk[] = []
  afterAll(async () => {
    for (const worker of running) {
      const code = await worker.stop()
      if (cleanExit) expect(code).toBe(0)
    }
  })
  return {
    /** Starts one worker and resolves once it says it is running. */
    async start(): Promise<RunningFrontdesk> {
      const worker = await startFrontdesk(workerEnv(env))
      running.push(worker)
      await waitFor(() => worker.output().includes('frontdesk is running'), { timeoutMs: 60_000, what: 'a worker to start' })
      return worker
    },
  }
}

/** Starts `count` workers at once (see `workerProcesses`), each stopped and checked after the file. */
export async function startWorkers(env: TestEnv, count: number): Promise<RunningFrontdesk[]> {
  const workers = workerProcesses(env)
  return Promise.all(Array.from({ length: count }, () => workers.start()))
}
