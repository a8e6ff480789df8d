import { readFileSync } from 'node:fs'
import { freePort, startFrontdesk, waitForStatus, type RunningFrontdesk } from '../../test/support/process.ts'
import { onCleanup } from './infra.ts'

/**
 * The frontdesk processes under test: one web and two workers, each the compiled server as `npm start`
 * runs it (`npm run chaos` builds it first). A process that dies on its own is started again a second later, as a container
 * runtime would, and the suite reports that it happened.
 */
export interface FrontdeskProcess {
  readonly name: string
  readonly pid: number | undefined
  /** kill -9: no shutdown hooks, jobs left mid-way. */
  kill(): Promise<void>
  start(): Promise<void>
}

export interface Cluster {
  webUrl: string
  web: FrontdeskProcess
  workers: FrontdeskProcess[]
  /** Unplanned exits seen so far (the process was started again each time). */
  crashes: string[]
  stop(): Promise<void>
}

export async function startCluster(env: Record<string, string>, workerCount = 2): Promise<Cluster> {
  const crashes: string[] = []
  let stopping = false
  const web = supervised('web', { ...env, FRONTDESK_ROLE: 'web' }, crashes, () => stopping)
  const workers = Array.from({ length: workerCount }, (_, i) => supervised(`worker-${i + 1}`, { ...env, FRONTDESK_ROLE: 'worker' }, crashes, () => stopping))
  await Promise.all([web.start(), ...workers.map((w) => w.start())])
  onCleanup(() => {
    stopping = true
    for (const p of [web, ...workers]) if (p.pid) killQuietly(p.pid)
  })
  return {
    get webUrl() {
      return web.baseUrl
    },
    web,
    workers,
    crashes,
    async stop() {
      stopping = true
      await Promise.all([web, ...workers].map((p) => p.stop()))
    },
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // already gone
  }
}

function supervised(name: string, env: Record<string, string>, crashes: string[], stopping: () => boolean) {
  let current: RunningFrontdesk | null = null
  let killedOnPurpose = false
  // The web keeps its port across restarts: the platforms (and the probes) know one URL.
  let port: number | undefined

  const baseUrl = () => `http://127.0.0.1:${port}`

  async function start(): Promise<void> {
    killedOnPurpose = false
    port ??= await freePort()
    const running = await startFrontdesk({ ...env, PORT: String(port) })
    current = running
    let ready = false
    running.child.once('exit', (code, signal) => {
      // Before it was ready, start() itself reports the failure.
      if (!ready || killedOnPurpose || stopping() || current !== running) return
      crashes.push(`${name} exited by itself (${signal ?? `code ${code}`}): ${lastLines(running.output())}`)
      void startAgain()
    })
    try {
      if (env.FRONTDESK_ROLE === 'web') await waitForStatus(`${baseUrl()}/readyz`, 200, 90_000)
      else await waitForOutput(running, 'frontdesk is running', 90_000)
    } catch (error) {
      running.child.kill('SIGKILL')
      throw error
    }
    ready = true
  }

  /** Like a container runtime: try again every two seconds (the database may still be down). */
  async function startAgain(): Promise<void> {
    for (let attempt = 1; !stopping() && !killedOnPurpose; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, attempt === 1 ? 1000 : 2000))
      try {
        await start()
        return
      } catch (error) {
        if (attempt === 1) crashes.push(`${name} could not be started again at once (retrying): ${(error as Error).message.slice(0, 200)}`)
      }
    }
  }

  return {
    name,
    get pid() {
      return current?.child.pid
    },
    get baseUrl() {
      return baseUrl()
    },
    /** A planned start, tried three times: a failed attempt is reported, not fatal. */
    async start() {
      for (let attempt = 1; ; attempt++) {
        try {
          return await start()
        } catch (error) {
          crashes.push(`${name} failed to start (attempt ${attempt}): ${(error as Error).message.slice(0, 800)}`)
          if (attempt === 3) throw error
          await new Promise((resolve) => setTimeout(resolve, 2000))
        }
      }
    },
    async kill() {
      if (!current || current.child.exitCode !== null) return
      killedOnPurpose = true
      const exited = new Promise((resolve) => current!.child.once('exit', resolve))
      current.child.kill('SIGKILL')
      await exited
    },
    async stop() {
      killedOnPurpose = true
      await current?.stop()
    },
  }
}

async function waitForOutput(running: RunningFrontdesk, text: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!running.output().includes(text)) {
    if (running.child.exitCode !== null) throw new Error(`frontdesk exited at start: ${lastLines(running.output())}`)
    if (Date.now() > deadline) throw new Error(`frontdesk did not start within ${timeoutMs} ms: ${lastLines(running.output())}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** The error line (a stack's tail says nothing) and the last lines of a process's output. */
function lastLines(output: string): string {
  const lines = output.trim().split('\n').filter((line) => !/^\s+at /.test(line) && line.trim() !== '')
  const error = lines.find((line) => /error|cannot|failed/i.test(line))
  return [...new Set([error, ...lines.slice(-3)].filter(Boolean))].join(' / ').slice(0, 800)
}

/** CPU time (ticks) a process has used: the busiest worker is the one with commands in hand. */
export function cpuTicks(pid: number | undefined): number {
  if (!pid) return 0
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return Number(fields[11]) + Number(fields[12])
  } catch {
    return 0
  }
}
