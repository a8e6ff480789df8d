// Webhook ingest: signed, encrypted Lark im.message.receive_v1 deliveries, each with a fresh event
// id, against a frontdesk `web` process (verify, decrypt, dedupe in PostgreSQL, enqueue in Redis,
// 200), beside a bare Fastify route in the same run as the yardstick.
import { randomBytes, randomUUID } from 'node:crypto'
import autocannon from 'autocannon'
import { Redis } from 'ioredis'
import pg from 'pg'
import { createSecretBox } from '../src/crypto/secrets.ts'
import { openDatabase } from '../src/db/database.ts'
import { migrateOnStart } from '../src/db/migrate-on-start.ts'
import { encryptLarkEvent, larkSignature } from '../src/platforms/lark/crypto.ts'
import { uniqueName } from '../test/support/services.ts'
import { freePort, waitForStatus } from '../test/support/process.ts'
import { deleteBenchKeys, dropBenchSchema } from './cleanup.ts'
import { coreSplit, parentOf, processTree, withCoreSplit } from './cores.ts'
import { startFrontdesk, startScript, type BenchProcess } from './processes.ts'
import type { BenchPart, BenchRow } from './table.ts'

const encryptKey = 'bench-encrypt-key'
const verificationToken = 'bench-verification-token'
/** More unique events per second than the webhook can take here, so the max phase never runs dry. */
const MAX_RATE_BOUND = 16_000
/**
 * "As fast as each goes" at more than one number of deliveries in flight, each route reported at
 * its best: the webhook waits on PostgreSQL and Redis and so goes faster with more in flight (its
 * batches grow), while the bare route only pays for more connections.
 */
const MAX_PHASE_CONNECTIONS = [50, 200]
const ACK_P99_BOUND_MS = 50
const SHARE_OF_BARE = 0.25

type Delivery = ReturnType<typeof larkDelivery>

/** One signed, encrypted im.message.receive_v1 delivery with a fresh event id. */
function larkDelivery(chatId: string) {
  const eventId = randomUUID()
  const event = {
    schema: '2.0',
    header: { event_id: eventId, event_type: 'im.message.receive_v1', create_time: String(Date.now()), token: verificationToken, app_id: 'cli_bench', tenant_key: 'bench' },
    event: {
      sender: { sender_id: { open_id: 'ou_bench_sender' }, sender_type: 'user', tenant_key: 'bench' },
      message: {
        message_id: `om_${eventId}`,
        chat_id: chatId,
        chat_type: 'group',
        message_type: 'text',
        content: JSON.stringify({ text: '@_user_1 报修 3-2-501 厨房水管漏水 紧急' }),
        mentions: [{ key: '@_user_1', id: { open_id: 'ou_bench_bot' }, name: 'frontdesk', tenant_key: 'bench' }],
      },
    },
  }
  const body = Buffer.from(JSON.stringify({ encrypt: encryptLarkEvent(JSON.stringify(event), encryptKey) }))
  const timestamp = String(Math.floor(Date.now() / 1000))
  const nonce = randomBytes(8).toString('hex')
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-lark-request-timestamp': timestamp,
      'x-lark-request-nonce': nonce,
      'x-lark-signature': larkSignature(timestamp, nonce, encryptKey, body),
    },
  }
}

const fresh = (count: number) => Array.from({ length: count }, () => larkDelivery('oc_bench_chat'))

/**
 * Deliveries made but not sent yet, for the max phase's runs: each run takes from the front and
 * only what it sent is made again (making them is a good part of the bench's own time).
 */
function unsentDeliveries() {
  let unsent: Delivery[] = []
  return {
    /** At least `count`, made before the clock starts. */
    atLeast(count: number): Delivery[] {
      if (unsent.length < count) unsent = unsent.concat(fresh(count - unsent.length))
      return unsent
    },
    /** The first `count` went out (answered or not): never again. */
    sent(count: number): void {
      unsent = unsent.slice(count)
    },
  }
}

/**
 * Each delivery is sent at most once: when the prepared ones run out the run stops early rather
 * than repeat one, since a repeat would only measure the duplicate check. autocannon ignores the
 * duration of a run bounded by `amount`, so the run is stopped at `seconds` here.
 */
async function load(url: string, seconds: number, options: { rate?: number; connections?: number; deliveries?: Delivery[]; body?: Buffer }) {
  let next = 0
  let answered = 0
  let lastAnswerAt = 0
  const deliveries = options.deliveries
  const startedAt = performance.now()
  const running = autocannon({
    url,
    method: 'POST',
    connections: options.connections ?? 20,
    duration: seconds,
    ...(deliveries ? { amount: deliveries.length } : {}),
    ...(options.rate ? { overallRate: options.rate } : {}),
    headers: { 'content-type': 'application/json' },
    body: options.body,
    requests: [
      {
        setupRequest: (request: autocannon.Request) => {
          if (!deliveries) return request
          const delivery = deliveries[Math.min(next++, deliveries.length - 1)]
          return { ...request, body: delivery.body, headers: delivery.headers }
        },
        onResponse: () => {
          answered++
          lastAnswerAt = performance.now()
        },
      },
    ],
  })
  // The promise autocannon returns is also its instance (a thenable without finally).
  const stopAtDuration = setTimeout(() => (running as unknown as autocannon.Instance).stop(), seconds * 1000)
  let result: autocannon.Result
  try {
    result = await running
  } finally {
    clearTimeout(stopAtDuration)
  }
  return {
    // Up to the last answer: autocannon notices that a run bounded by `amount` is done only on its
    // next one-second tick, and its per-second average would count that idle tail.
    answered,
    requestsPerSecond: Math.round(answered / ((lastAnswerAt - startedAt) / 1000)),
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: result.non2xx + result.errors,
    sent: Math.min(next, deliveries?.length ?? 0),
    repeated: deliveries ? Math.max(0, next - deliveries.length) : 0,
  }
}

type LoadResult = Awaited<ReturnType<typeof load>>

type Run = LoadResult & { connections: number; cpuMicrosPerRequest: number; coreUse: number }

/** A load run against `server`, with the CPU the server process spent per answered request and per second. */
async function measured(server: BenchProcess, url: string, seconds: number, options: Parameters<typeof load>[2] & { connections: number }): Promise<Run> {
  const cpuBefore = server.cpuSeconds()
  const startedAt = performance.now()
  const result = await load(url, seconds, options)
  const cpu = server.cpuSeconds() - cpuBefore
  const cpuMicrosPerRequest = (cpu * 1e6) / Math.max(1, result.answered)
  return { ...result, connections: options.connections, cpuMicrosPerRequest, coreUse: cpu / ((performance.now() - startedAt) / 1000) }
}

/**
 * The max phase: at each of MAX_PHASE_CONNECTIONS the webhook and then the bare route, back to
 * back, so the two are measured in the same stretch of time: this machine's speed drifts (the
 * bare route read 14,900 to 38,800 req/s in one evening's runs). Each route is reported at its best.
 */
async function maxPhase(web: { process: BenchProcess; url: string }, bare: { process: BenchProcess; url: string }, seconds: number, unsent: ReturnType<typeof unsentDeliveries>) {
  const webRuns: Run[] = []
  const bareRuns: Run[] = []
  const bareBody = larkDelivery('oc_bench_chat').body
  for (const connections of MAX_PHASE_CONNECTIONS) {
    const webRun = await measured(web.process, web.url, seconds, { connections, deliveries: unsent.atLeast(MAX_RATE_BOUND * seconds) })
    unsent.sent(webRun.sent)
    webRuns.push(webRun)
    bareRuns.push(await measured(bare.process, bare.url, seconds, { connections, body: bareBody }))
  }
  return { webMax: best(webRuns), bareMax: best(bareRuns) }
}

/** The fastest run, with the rates of all and the failures and repeats summed over all. */
function best(runs: Run[]) {
  const fastest = runs.reduce((a, b) => (b.requestsPerSecond > a.requestsPerSecond ? b : a))
  const rates = runs.map((run) => `${run.requestsPerSecond.toLocaleString('en')} at ${run.connections}`).join(', ')
  return { ...fastest, rates, failed: sum(runs.map((run) => run.failed)), repeated: sum(runs.map((run) => run.repeated)) }
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0)

/** The two servers, and who else runs: the load generator (this process), PostgreSQL and Redis. */
interface Arrangement {
  web: BenchProcess
  webhook: string
  bare: BenchProcess
  bareUrl: string
  /** Read again when put back: PostgreSQL forks a backend per new connection. */
  others: () => number[]
}

/**
 * The max phase twice: with every process free to run on any core (the share the target is
 * judged on), then with the server under test on a core of its own and the load generator,
 * PostgreSQL and Redis on the rest. On two shared cores the web process waits for a core while
 * some sits idle, and the bare route needs no PostgreSQL or Redis to share its cores with; the
 * second share, and how busy the server kept its own core, tell how much of the gap that is.
 */
async function maxPhases(run: Arrangement, seconds: number) {
  const unsent = unsentDeliveries()
  const phase = () => maxPhase({ process: run.web, url: run.webhook }, { process: run.bare, url: run.bareUrl }, seconds, unsent)
  const shared = await phase()
  const split = coreSplit()
  if (!split) return { shared, ownCore: null, ownCoreMissing: 'it needs two cores and taskset' }
  try {
    return { shared, ownCore: await withCoreSplit(split, [run.web.child.pid!, run.bare.child.pid!], run.others, phase), ownCoreMissing: null }
  } catch (error) {
    return { shared, ownCore: null, ownCoreMissing: (error as Error).message }
  }
}

/**
 * The processes of the PostgreSQL and Redis the bench uses, when they run on this machine: the
 * postmaster is the parent of a backend, and Redis says its own process id.
 */
async function serviceProcesses(databaseUrl: string, redisUrl: string): Promise<() => number[]> {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  const backend = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid').finally(() => client.end())).rows[0].pid
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 })
  const info = await redis.info('server').finally(() => redis.disconnect())
  const redisPid = Number(/process_id:(\d+)/.exec(info)?.[1])
  const postmaster = parentOf(backend)
  if (postmaster === null || !parentOf(redisPid)) return () => [process.pid]
  return () => [process.pid, ...processTree(postmaster), redisPid]
}

const percent = (ratio: number) => `${(ratio * 100).toFixed(1)}%`

type MaxPhase = Awaited<ReturnType<typeof maxPhase>>

const shareOf = ({ webMax, bareMax }: MaxPhase) => webMax.requestsPerSecond / bareMax.requestsPerSecond

/** The share of a max phase, with the rates it comes from. */
function shareText(phase: MaxPhase): string {
  const { webMax, bareMax } = phase
  return `${percent(shareOf(phase))} (${webMax.requestsPerSecond.toLocaleString('en')} at ${webMax.connections} / ${bareMax.requestsPerSecond.toLocaleString('en')} at ${bareMax.connections} req/s)`
}

export const ingestBench: BenchPart = async ({ databaseUrl, redisUrl, full }) => {
  const seconds = Number(process.env.BENCH_SECONDS ?? (full ? 10 : 5))
  // Four runs each way: a second less each keeps the short bench under three minutes.
  const maxSeconds = full ? seconds : Math.max(1, seconds - 1)
  const schema = uniqueName('bench_ingest')
  const prefix = uniqueName('fdbench')
  const masterKey = randomBytes(32)
  const processes: BenchProcess[] = []
  try {
    const db = await openDatabase({ url: databaseUrl, schema })
    await migrateOnStart(db)
    const tenant = await db.prisma.tenant.create({ data: { name: 'Bench' } })
    const connection = await db.prisma.platformConnection.create({
      data: {
        tenantId: tenant.id,
        platform: 'lark',
        name: 'bench',
        appId: 'cli_bench',
        botUserId: 'ou_bench_bot',
        credentials: createSecretBox(masterKey).sealJson({ appId: 'cli_bench', appSecret: 'bench-secret', encryptKey, verificationToken }),
      },
    })
    await db.close()

    const webPort = await freePort()
    const barePort = await freePort()
    const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : []
    const web = startFrontdesk({ role: 'web', port: webPort, databaseUrl, schema, redisUrl, prefix, masterKey, nodeFlags: profile })
    const bare = startScript(['--import', 'tsx', 'bench/bare-server.ts'], { PORT: String(barePort) })
    processes.push(web, bare)
    await waitForStatus(`http://127.0.0.1:${webPort}/readyz`, 200)
    await waitForStatus(`http://127.0.0.1:${barePort}/bare`, 404).catch(() => undefined)

    // Fresh deliveries for every phase, more than each can send: no event is ever sent twice.
    const webhook = `http://127.0.0.1:${webPort}/webhooks/lark/${connection.id}`
    const warmUpSeconds = 3
    await load(webhook, warmUpSeconds, { rate: 200, deliveries: fresh(200 * warmUpSeconds + 100) })
    const at500 = await load(webhook, seconds, { rate: 500, deliveries: fresh(500 * seconds + 100) })
    const at1000 = await load(webhook, seconds, { rate: 1000, deliveries: fresh(1000 * seconds + 100) })
    const arrangement = { web, webhook, bare, bareUrl: `http://127.0.0.1:${barePort}/bare`, others: await serviceProcesses(databaseUrl, redisUrl) }
    const { shared, ownCore, ownCoreMissing } = await maxPhases(arrangement, maxSeconds)
    for (const [name, phase] of Object.entries({ shared, ownCore })) {
      if (phase) console.error(`bench: max phase (${name}) req/s by connections: webhook ${phase.webMax.rates}; bare ${phase.bareMax.rates}`)
    }

    const all = [shared, ...(ownCore ? [ownCore] : [])]
    const repeated = at500.repeated + at1000.repeated + sum(all.map((phase) => phase.webMax.repeated))
    const failed = at500.failed + at1000.failed + sum(all.map((phase) => phase.webMax.failed))
    const ack = (rate: number, run: typeof at500): BenchRow => ({
      measure: `webhook ack at ${rate.toLocaleString('en')} events/s, p50 / p99`,
      value: `${run.p50} / ${run.p99} ms`,
      target: `p99 < ${ACK_P99_BOUND_MS} ms`,
      met: run.p99 < ACK_P99_BOUND_MS,
    })
    const { webMax, bareMax } = shared
    return [
      {
        measure: `webhook / bare Fastify route, unique events, each at its best of ${MAX_PHASE_CONNECTIONS.join(' or ')} connections`,
        value: shareText(shared),
        target: `>= ${SHARE_OF_BARE * 100}%`,
        met: shareOf(shared) >= SHARE_OF_BARE,
      },
      {
        // What each request costs, apart from how the cores are shared out.
        measure: 'server process CPU per request in those runs, webhook / bare route',
        value: `${Math.round(webMax.cpuMicrosPerRequest)} / ${Math.round(bareMax.cpuMicrosPerRequest)} µs (the bare route's is ${percent(bareMax.cpuMicrosPerRequest / webMax.cpuMicrosPerRequest)} of the webhook's)`,
      },
      {
        measure: 'the same share with the server on a core of its own (load generator, PostgreSQL and Redis on the other), and how busy that core was, webhook / bare route',
        value: ownCore ? `${shareText(ownCore)}; ${percent(ownCore.webMax.coreUse)} / ${percent(ownCore.bareMax.coreUse)} busy` : `not measured: ${ownCoreMissing}`,
      },
      ack(500, at500),
      ack(1000, at1000),
      { measure: 'webhook deliveries sent twice / answered other than 2xx', value: `${repeated} / ${failed}`, target: '0 / 0', met: repeated === 0 && failed === 0 },
    ]
  } finally {
    for (const running of processes) await running.stop()
    await dropBenchSchema(databaseUrl, schema).catch(() => undefined)
    await deleteBenchKeys(redisUrl, `${prefix}:*`).catch(() => undefined)
  }
}
