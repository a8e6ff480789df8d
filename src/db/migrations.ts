import { createHash, randomUUID } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'

/**
 * Applies prisma/migrations/* in order and records each in Prisma's own `_prisma_migrations` table
 * (same columns and sha256 checksums as `prisma migrate deploy`), so the official CLI can take over
 * wherever its native engine is available. Works on PostgreSQL and PGlite alike.
 */
export interface SqlConnection {
  /** Runs one or more statements without parameters. */
  exec(sql: string): Promise<void>
  /** `name` prepares a hot statement once per connection (its text must never change); PGlite ignores it. */
  query<Row>(sql: string, params?: unknown[], options?: { name?: string }): Promise<Row[]>
}

export interface MigrationFile {
  name: string
  sql: string
  checksum: string
}

export interface MigrationStatus {
  applied: string[]
  pending: string[]
  /** Applied, but the file has changed since. */
  edited: string[]
  /** Started and never finished: needs a person. */
  failed: string[]
}

export const migrationsDir = path.resolve(import.meta.dirname, '../../prisma/migrations')

// Prisma's own advisory lock key for migrations, so our runner and the CLI never run at once.
const MIGRATION_LOCK_KEY = 72707369

const createBookkeeping = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`

export async function readMigrations(dir = migrationsDir): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort()
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8')
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') }
    }),
  )
}

interface BookkeepingRow {
  migration_name: string
  checksum: string
  finished_at: Date | null
  rolled_back_at: Date | null
}

export async function migrationStatus(db: SqlConnection, files?: MigrationFile[]): Promise<MigrationStatus> {
  const all = files ?? (await readMigrations())
  await db.exec(createBookkeeping)
  const rows = await db.query<BookkeepingRow>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL',
  )
  const byName = new Map(rows.map((row) => [row.migration_name, row]))
  const status: MigrationStatus = { applied: [], pending: [], edited: [], failed: [] }
  for (const file of all) {
    const row = byName.get(file.name)
    if (!row) status.pending.push(file.name)
    else if (!row.finished_at) status.failed.push(file.name)
    else {
      status.applied.push(file.name)
      if (row.checksum !== file.checksum) status.edited.push(file.name)
    }
  }
  return status
}

/** Applies pending migrations, each in its own transaction, under Prisma's advisory lock. Returns their names. */
export async function applyMigrations(db: SqlConnection, files?: MigrationFile[]): Promise<string[]> {
  const all = files ?? (await readMigrations())
  await db.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY])
  try {
    const status = await migrationStatus(db, all)
    if (status.failed.length) {
      throw new Error(`migration ${status.failed[0]} failed earlier and needs to be resolved by hand before others can run`)
    }
    const applied: string[] = []
    for (const file of all.filter((f) => status.pending.includes(f.name))) {
      const id = randomUUID()
      await db.query('INSERT INTO "_prisma_migrations" (id, checksum, migration_name) VALUES ($1, $2, $3)', [
        id,
        file.checksum,
        file.name,
      ])
      try {
        await db.exec(`BEGIN;\n${file.sql}\n;COMMIT;`)
      } catch (error) {
        await db.exec('ROLLBACK').catch(() => {})
        await db.query('UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1', [id, String(error)])
        throw new Error(`migration ${file.name} failed: ${(error as Error).message}`)
      }
      await db.query(
        'UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1',
        [id],
      )
      applied.push(file.name)
    }
    return applied
  } finally {
    await db.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
  }
}
