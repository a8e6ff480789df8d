// `npm run bench`: webhook ingest throughput and latency for signed, encrypted Lark events against a
// running frontdesk web process on PostgreSQL and Redis, beside a bare Fastify route in the same run.
// Targets: p99 ack under 50 ms at 500 events/s, and at least 25% of the bare route's throughput.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import autocannon from 'autocannon'
import { createSecretBox } from '../src/crypto/secrets.ts'
import { openDatabase } from '../src/db/database.ts'
import { migrateOnStart } from '../src/db/migrate-on-start.ts'
import { encryptLarkEvent, larkSignature } from '../src/platforms/lark/crypto.ts'
import { deleteRedisPrefix, dropSchema, testDatabaseUrl, testRedisUrl, uniqueName } from '../test/support/services.ts'
import { freePort, projectRoot, waitForStatus } from '../test/support/process.ts'

const databaseUrl = process.env.BENCH_DATABASE_URL ?? testDatabaseUrl
const redisUrl = process.env.BENCH_REDIS_URL ?? testRedisUrl
const seconds = Number(process.env.BENCH_SECONDS ?? 10)
const schema = uniqueName('bench')
const prefix = uniqueName('fdbench')
const masterKey = randomBytes(32)
const encryptKey = 'bench-encrypt-key'
const verificationToken = 'bench-verification-token'

/** More unique events per second than the webhook can take here, so the max phase never runs dry. */
const MAX_RATE_BOUND = 12_000

const children: ChildProcess[] = []
function startProcess(args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, args, { cwd: projectRoot, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'inherit'] })
  children.push(child)
  return child
}

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

/**
 * Each delivery is sent at most once: when the prepared ones run out the run stops early rather
 * than repeat one, since a repeat would only measure the duplicate check.
 */
async function load(title: string, url: string, options: { rate?: number; deliveries?: ReturnType<typeof larkDelivery>[]; body?: Buffer }) {
  let next = 0
  const deliveries = options.deliveries
  const result = await autocannon({
    title,
    url,
    method: 'POST',
    connections: options.rate ? 20 : 50,
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
      },
    ],
  })
  return {
    title,
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    repeated: deliveries ? Math.max(0, next - deliveries.length) : 0,
  }
}

async function main() {
  const db = await openDatabase({ url: databaseUrl, schema })
  await migrateOnStart(db)
  const secrets = createSecretBox(masterKey)
  const tenant = await db.prisma.tenant.create({ data: { name: 'Bench' } })
  const connection = await db.prisma.platformConnection.create({
    data: {
      tenantId: tenant.id,
      platform: 'lark',
      name: 'bench',
      appId: 'cli_bench',
      botUserId: 'ou_bench_bot',
      credentials: secrets.sealJson({ appId: 'cli_bench', appSecret: 'bench-secret', encryptKey, verificationToken }),
    },
  })
  await db.close()

  const webPort = await freePort()
  const barePort = await freePort()
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : []
  startProcess([...profile, '--import', 'tsx', 'src/main.ts'], {
    NODE_ENV: 'production',
    FRONTDESK_ROLE: 'web',
    PORT: String(webPort),
    HOST: '127.0.0.1',
    DATABASE_URL: `${databaseUrl}${databaseUrl.includes('?') ? '&' : '?'}schema=${schema}`,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    ADMIN_TOKEN: randomBytes(24).toString('hex'),
    MASTER_KEY: masterKey.toString('hex'),
    LOG_LEVEL: 'error',
    DEMO_SEED: 'false',
  })
  startProcess(['--import', 'tsx', 'bench/bare-server.ts'], { PORT: String(barePort) })
  await waitForStatus(`http://127.0.0.1:${webPort}/readyz`, 200)
  await waitForStatus(`http://127.0.0.1:${barePort}/bare`, 404).catch(() => undefined)

  // Fresh deliveries for every phase, more than each can send: no event is ever sent twice.
  const fresh = (count: number) => Array.from({ length: count }, () => larkDelivery('oc_bench_chat'))
  const webhook = `http://127.0.0.1:${webPort}/webhooks/lark/${connection.id}`
  await load('warm-up', webhook, { rate: 200, deliveries: fresh(1000) })
  const rated500 = await load('frontdesk webhook @ 500/s', webhook, { rate: 500, deliveries: fresh(500 * seconds + 100) })
  const rated1000 = await load('frontdesk webhook @ 1000/s', webhook, { rate: 1000, deliveries: fresh(1000 * seconds + 100) })
  const fdMax = await load('frontdesk webhook, max', webhook, { deliveries: fresh(MAX_RATE_BOUND * seconds) })
  const bareMax = await load('bare Fastify route, max', `http://127.0.0.1:${barePort}/bare`, { body: larkDelivery('oc_bench_chat').body })
  console.table([rated500, rated1000, fdMax, bareMax])
  const share = fdMax.requestsPerSecond / bareMax.requestsPerSecond
  console.log(`p99 ack at 500 events/s: ${rated500.p99} ms, at 1000 events/s: ${rated1000.p99} ms (target < 50 ms) ${rated500.p99 < 50 && rated1000.p99 < 50 ? 'OK' : 'MISSED'}`)
  console.log(`events sent twice: ${rated500.repeated + rated1000.repeated + fdMax.repeated} (must be 0)`)
  console.log(`throughput vs bare route: ${(share * 100).toFixed(1)}% (target >= 25%) ${share >= 0.25 ? 'OK' : 'MISSED'}`)
}

try {
  await main()
} finally {
  for (const child of children) child.kill('SIGTERM')
  await dropSchema(schema).catch(() => undefined)
  await deleteRedisPrefix(prefix).catch(() => undefined)
}
