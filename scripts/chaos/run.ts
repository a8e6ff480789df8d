// `npm run chaos`: fault probes against real frontdesk processes (one web, two workers) on a
// PostgreSQL and a Redis of the suite's own, with the fake Lark as the platform. Each probe counts,
// per unique command, what ran and what was delivered; the run fails if anything was lost or
// doubled. `--short` (or CHAOS_SHORT=1) is the CI version; `--only a,c` runs some probes.
import { randomBytes } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { createSecretBox } from '../../src/crypto/secrets.ts'
import { openDatabase } from '../../src/db/database.ts'
import { migrateOnStart } from '../../src/db/migrate-on-start.ts'
import { startFakeLark } from '../../test/support/fake-lark.ts'
import { startCluster } from './cluster.ts'
import { onCleanup, startPostgres, startRedis, stopAll } from './infra.ts'
import { fullSettings, probes, shortSettings, type ProbeEnv } from './probes.ts'
import { markdownTable, type ProbeRow } from './report.ts'

const args = process.argv.slice(2)
const short = args.includes('--short') || process.env.CHAOS_SHORT === '1'
const onlyArg = args.find((a) => a.startsWith('--only'))
const only = onlyArg ? (onlyArg.includes('=') ? onlyArg.split('=')[1] : args[args.indexOf(onlyArg) + 1]).split(',') : null
const settings = short ? shortSettings : fullSettings
const log = (line: string) => console.log(line)

// Whatever happens, nothing started here outlives the run.
process.on('exit', stopAll)
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    console.error(`\n${signal}: stopping everything the chaos suite started`)
    process.exit(130)
  })
}

async function main(): Promise<number> {
  log(`frontdesk chaos suite (${short ? 'short' : 'full'})`)
  const postgres = await startPostgres()
  const redis = await startRedis()
  log(`own PostgreSQL at ${postgres.url}, Redis at ${redis.url}`)

  const masterKey = randomBytes(32)
  const db = await openDatabase({ url: postgres.url })
  onCleanup(() => void db.close().catch(() => undefined))
  await migrateOnStart(db)
  const lark = await startFakeLark({ botOpenId: 'ou_chaos_bot' })
  onCleanup(() => void lark.close())

  const cluster = await startCluster({
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: postgres.url,
    REDIS_URL: redis.url,
    MASTER_KEY: masterKey.toString('hex'),
    ADMIN_TOKEN: randomBytes(24).toString('hex'),
    LARK_API_BASE_URL: lark.url,
    // Nothing here talks to WeCom; should anything try, it reaches a closed local port, not the internet.
    WECOM_API_BASE_URL: 'http://127.0.0.1:9',
    PUBLIC_BASE_URL: 'http://127.0.0.1:3000',
    DEMO_SEED: 'false',
  })
  log(`web at ${cluster.webUrl}, workers ${cluster.workers.map((w) => w.name).join(', ')}`)

  const env: ProbeEnv = { settings, db, dbUrl: postgres.url, secrets: createSecretBox(masterKey), lark, cluster, postgres, redis, log }
  const rows: ProbeRow[] = []
  for (const probe of probes) {
    if (only && !only.includes(probe.id) && !only.includes(probe.id[0])) continue
    const title = probe.title(settings)
    log(`\n[${probe.id}] ${title}`)
    const started = Date.now()
    const crashesBefore = cluster.crashes.length
    try {
      const tally = await probe.run(env)
      rows.push({ id: probe.id, title, ...tally, crashes: cluster.crashes.slice(crashesBefore) })
    } catch (error) {
      rows.push({ id: probe.id, title, sent: 0, executed: 0, delivered: 0, lost: 0, doubled: 0, findings: [], crashes: cluster.crashes.slice(crashesBefore), error: (error as Error).message })
    }
    const row = rows.at(-1)!
    log(`  ${row.error ? `ERROR ${row.error}` : `sent ${row.sent}, executed ${row.executed}, delivered ${row.delivered}, lost ${row.lost}, doubled ${row.doubled}`} (${Math.round((Date.now() - started) / 1000)} s)`)
    for (const line of [...row.findings, ...row.crashes]) log(`  - ${line}`)
  }
  await cluster.stop()

  log(`\n${markdownTable(rows)}`)
  if (process.env.CHAOS_RESULT_FILE) writeFileSync(process.env.CHAOS_RESULT_FILE, JSON.stringify({ short, rows }, null, 2))
  const failed = rows.filter((r) => r.error || r.lost > 0 || r.doubled > 0 || r.sent === 0)
  log(failed.length ? `\n${failed.length} probe(s) lost, doubled or failed: ${failed.map((r) => r.id).join(', ')}` : '\nevery probe: 0 lost, 0 doubled')
  return failed.length ? 1 : 0
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error('chaos suite could not run:', error instanceof Error ? error.stack : error)
    process.exit(2)
  },
)
