import { Redis } from 'ioredis'
import type { SecretBox } from '../../src/crypto/secrets.ts'
import type { Database } from '../../src/db/database.ts'
import type { PolicyOverrides } from '../../src/domain/policy.ts'
import type { FakeLark } from '../../test/support/fake-lark.ts'
import { cpuTicks, type Cluster } from './cluster.ts'
import { query, type Postgres, type RedisServer } from './infra.ts'
import { LADDER, tallyCommands, tallyLadders, type Tally } from './tally.ts'
import { createTenantWorld, deliverAll, probeCommands, type ProbeCommand, type TenantWorld } from './world.ts'

/** Counts and waits: the full suite, or the short one for CI (`--short`). */
export interface ProbeSettings {
  commands: number
  killCommands: number
  ladders: number
  longRestartSeconds: number
  redisDownSeconds: number
  postgresDownSeconds: number
  platformDownSeconds: number
  /** How long a probe may take to come right after its fault ends. */
  settleSeconds: number
}

export const fullSettings: ProbeSettings = {
  commands: 200,
  killCommands: 200,
  ladders: 10,
  longRestartSeconds: 130,
  redisDownSeconds: 30,
  postgresDownSeconds: 45,
  platformDownSeconds: 60,
  settleSeconds: 150,
}

export const shortSettings: ProbeSettings = {
  commands: 40,
  killCommands: 60,
  ladders: 4,
  longRestartSeconds: 20,
  redisDownSeconds: 15,
  postgresDownSeconds: 20,
  platformDownSeconds: 20,
  settleSeconds: 120,
}

export interface ProbeEnv {
  settings: ProbeSettings
  db: Database
  dbUrl: string
  secrets: SecretBox
  lark: FakeLark
  cluster: Cluster
  postgres: Postgres
  redis: RedisServer
  log: (line: string) => void
}

export interface Probe {
  id: string
  title: (s: ProbeSettings) => string
  run: (env: ProbeEnv) => Promise<Tally>
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Polls the tally until nothing is missing, then watches a little longer so late doubles show;
 * gives up after the settle time and reports what is still missing.
 */
async function settle<T extends Tally>(env: ProbeEnv, count: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + env.settings.settleSeconds * 1000
  let last = await count()
  while (last.lost > 0 && Date.now() < deadline) {
    await sleep(1000)
    last = await count().catch(() => last)
  }
  await sleep(5000)
  return count()
}

function commandProbe(env: ProbeEnv, world: TenantWorld, commands: ProbeCommand[]) {
  return () => settle(env, () => tallyCommands(env.dbUrl, env.lark, world.tenantId, commands))
}

const world = (env: ProbeEnv, name: string, policy?: PolicyOverrides) => createTenantWorld(env.db, env.secrets, env.lark, name, policy)
const webUrl = (env: ProbeEnv) => () => env.cluster.webUrl

async function ticketsOf(env: ProbeEnv, tenantId: string): Promise<number> {
  const rows = await query<{ n: string }>(env.dbUrl, `SELECT count(*) AS n FROM "Ticket" WHERE "tenantId" = $1`, [tenantId]).catch(() => [{ n: '0' }])
  return Number(rows[0].n)
}

async function waitForTickets(env: ProbeEnv, tenantId: string, atLeast: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while ((await ticketsOf(env, tenantId)) < atLeast) {
    if (Date.now() > deadline) throw new Error(`fewer than ${atLeast} tickets after ${timeoutMs / 1000} s: the fault cannot be placed`)
    await sleep(50)
  }
}

/** Proves a fault landed mid-ladder: how many of the probe's ladder reminders had not fired yet. */
async function pendingReminders(env: ProbeEnv, tenantId: string): Promise<number> {
  const rows = await query<{ n: string }>(
    env.dbUrl,
    `SELECT count(*) AS n FROM "Reminder" WHERE "tenantId" = $1 AND status = 'pending' AND kind = ANY($2)`,
    [tenantId, [...LADDER]],
  )
  return Number(rows[0].n)
}

/** Seconds as policy minutes: the same ladder as production, on a stopwatch. */
const ladderPolicy = (alert: number, remind: number, escalate: number): PolicyOverrides => ({
  unassignedAlertMinutes: alert / 60,
  assigneeReminderMinutes: remind / 60,
  onSiteMinutes: escalate / 60,
})

async function killBusiestWorker(env: ProbeEnv): Promise<string> {
  const before = env.cluster.workers.map((w) => cpuTicks(w.pid))
  await sleep(300)
  const used = env.cluster.workers.map((w, i) => cpuTicks(w.pid) - before[i])
  const busiest = env.cluster.workers[used.indexOf(Math.max(...used))]
  await busiest.kill()
  return busiest.name
}

function killProbe(id: string, restartAfter: (s: ProbeSettings) => number): Probe {
  return {
    id,
    title: (s) => `kill -9 of a worker with ${s.killCommands} commands in flight, restarted after ${restartAfter(s)} s`,
    async run(env) {
      const w = await world(env, `chaos ${id}`)
      const commands = probeCommands(w, id[0], env.settings.killCommands)
      const delivering = deliverAll(webUrl(env), w.connectionId, commands)
      await waitForTickets(env, w.tenantId, 1)
      const killed = await killBusiestWorker(env)
      env.log(`  killed ${killed} with ${await ticketsOf(env, w.tenantId)} of ${commands.length} tickets created`)
      await delivering
      await sleep(restartAfter(env.settings) * 1000)
      await env.cluster.workers.find((p) => p.name === killed)!.start()
      return commandProbe(env, w, commands)()
    },
  }
}

export const probes: Probe[] = [
  {
    id: 'a',
    title: (s) => `the same event delivered 3 times at once (${s.commands} events)`,
    async run(env) {
      const w = await world(env, 'chaos a')
      const commands = probeCommands(w, 'a', env.settings.commands)
      const stats = await deliverAll(webUrl(env), w.connectionId, commands, { copies: 3 })
      env.log(`  ${stats.requests} webhook requests, ${stats.refused} refused`)
      return commandProbe(env, w, commands)()
    },
  },
  killProbe('b1', () => 5),
  killProbe('b2', (s) => s.longRestartSeconds),
  {
    id: 'c',
    title: (s) => `FLUSHALL in the middle of ${s.ladders} urgent repairs' escalation ladders (5/10/15 s)`,
    async run(env) {
      const w = await world(env, 'chaos c', ladderPolicy(5, 10, 15))
      const commands = probeCommands(w, 'c', env.settings.ladders, { urgent: true })
      await deliverAll(webUrl(env), w.connectionId, commands)
      await waitForTickets(env, w.tenantId, commands.length)
      // Between the alert (5 s) and the reminder (10 s) of the first tickets.
      await sleep(7000)
      const redis = new Redis(env.redis.url, { maxRetriesPerRequest: 1 })
      await redis.flushall()
      redis.disconnect()
      env.log(`  FLUSHALL with ${await pendingReminders(env, w.tenantId)} of ${commands.length * 3} ladder reminders still to come`)
      const result = await settle(env, () => tallyLadders(env.dbUrl, env.lark, w.tenantId, commands))
      env.log(`  latest reminder fired ${result.maxLateSeconds.toFixed(1)} s after it was due`)
      return result
    },
  },
  {
    id: 'd',
    title: (s) => `Redis down for ${s.redisDownSeconds} s, commands sent meanwhile`,
    async run(env) {
      const w = await world(env, 'chaos d')
      const commands = probeCommands(w, 'd', env.settings.commands)
      await env.redis.stop()
      const delivering = deliverAll(webUrl(env), w.connectionId, commands, { concurrency: 4 })
      await sleep(env.settings.redisDownSeconds * 1000)
      await env.redis.start()
      const stats = await delivering
      env.log(`  ${stats.requests} webhook requests, ${stats.refused} refused (redelivered like Lark does)`)
      return commandProbe(env, w, commands)()
    },
  },
  {
    id: 'e1',
    title: (s) => `PostgreSQL restarted with ${s.commands} commands in flight`,
    async run(env) {
      const w = await world(env, 'chaos e1')
      const commands = probeCommands(w, 'e', env.settings.commands)
      const delivering = deliverAll(webUrl(env), w.connectionId, commands)
      await waitForTickets(env, w.tenantId, 1)
      await env.postgres.restart()
      const stats = await delivering
      env.log(`  ${stats.requests} webhook requests, ${stats.refused} refused (redelivered like Lark does)`)
      return commandProbe(env, w, commands)()
    },
  },
  {
    id: 'e2',
    title: (s) => `PostgreSQL stopped for ${s.postgresDownSeconds} s while ${s.ladders} repairs' reminders fall due`,
    async run(env) {
      const short = env.settings.postgresDownSeconds < 45
      const w = await world(env, 'chaos e2', short ? ladderPolicy(5, 10, 15) : ladderPolicy(10, 20, 30))
      const commands = probeCommands(w, 'f', env.settings.ladders, { urgent: true })
      await deliverAll(webUrl(env), w.connectionId, commands)
      await waitForTickets(env, w.tenantId, commands.length)
      const pending = await pendingReminders(env, w.tenantId)
      await env.postgres.stop()
      env.log(`  PostgreSQL stopped with ${pending} of ${commands.length * 3} ladder reminders still to come`)
      await sleep(env.settings.postgresDownSeconds * 1000)
      await env.postgres.start()
      const result = await settle(env, () => tallyLadders(env.dbUrl, env.lark, w.tenantId, commands))
      env.log(`  latest reminder fired ${result.maxLateSeconds.toFixed(1)} s after it was due`)
      return result
    },
  },
  {
    id: 'f',
    title: (s) => `the platform API answering 500 for ${s.platformDownSeconds} s`,
    async run(env) {
      const w = await world(env, 'chaos f')
      const commands = probeCommands(w, 'g', env.settings.commands)
      env.lark.permanentFailure({ status: 500, msg: 'internal error' })
      try {
        await deliverAll(webUrl(env), w.connectionId, commands)
        await sleep(env.settings.platformDownSeconds * 1000)
      } finally {
        env.lark.permanentFailure(null)
      }
      return commandProbe(env, w, commands)()
    },
  },
]
