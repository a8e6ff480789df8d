// `npm run db:migrate` applies pending migrations; `npm run db:status` reports them.
// Uses DATABASE_URL (PostgreSQL) or, when unset, the embedded PGlite in DATA_DIR, like `npm start`.
import 'dotenv/config'
import { ConfigError, loadConfig } from '../src/config.ts'
import { openDatabase } from '../src/db/database.ts'
import { applyMigrations, migrationStatus } from '../src/db/migrations.ts'

const command = process.argv[2]
let config
try {
  config = loadConfig()
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error)
  process.exit(1)
}
const db = await openDatabase({ url: config.DATABASE_URL, dataDir: `${config.DATA_DIR}/pglite` })
try {
  if (command === 'migrate') {
    const applied = await db.withSession((conn) => applyMigrations(conn))
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'No pending migrations.')
  } else if (command === 'status') {
    const status = await db.withSession((conn) => migrationStatus(conn))
    console.log(`Database: ${db.kind}`)
    for (const [label, names] of Object.entries(status)) console.log(`${label.padEnd(8)} ${names.length ? names.join(', ') : '-'}`)
    if (status.pending.length || status.failed.length || status.edited.length) process.exitCode = 1
  } else {
    console.error('usage: tsx scripts/db.ts migrate|status')
    process.exitCode = 2
  }
} catch (error) {
  console.error((error as Error).message)
  process.exitCode = 1
} finally {
  await db.close()
}
