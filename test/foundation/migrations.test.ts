import { createHash } from 'node:crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase, type Database } from '../../src/db/database.ts'
import { applyMigrations, migrationStatus, readMigrations } from '../../src/db/migrations.ts'
import { createSchema, dropSchema, testDatabaseUrl, uniqueName } from '../support/services.ts'

const schema = uniqueName('mig')
await createSchema(schema)
const postgres = await openDatabase({ url: testDatabaseUrl, schema })
const pglite = await openDatabase({ dataDir: 'memory://' })

afterAll(async () => {
  await postgres.close()
  await pglite.close()
  await dropSchema(schema)
})

async function tableNames(db: Database): Promise<string[]> {
  const rows = await db.sql.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`,
  )
  return rows.map((row) => row.table_name)
}

describe.each([
  ['PostgreSQL', postgres],
  ['PGlite', pglite],
])('migrations on %s', (_name, db) => {
  it('apply every migration once and record it in _prisma_migrations with its sha256', async () => {
    const files = await readMigrations()
    expect(files.length).toBeGreaterThan(0)
    const applied = await db.withSession((conn) => applyMigrations(conn))
    expect(applied).toEqual(files.map((f) => f.name))

    const rows = await db.sql.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name',
    )
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name))
    for (const [i, row] of rows.entries()) {
      expect(row.checksum).toBe(createHash('sha256').update(files[i].sql).digest('hex'))
      expect(row.finished_at).not.toBeNull()
    }
    expect(await db.withSession((conn) => applyMigrations(conn))).toEqual([])
  })

  it('creates the whole data model that Prisma can use', async () => {
    expect(await tableNames(db)).toEqual(
      expect.arrayContaining(['Tenant', 'Ticket', 'TicketEvent', 'Reminder', 'OutgoingMessage', 'InboundEvent', 'AuditLog', '_prisma_migrations']),
    )
    const tenant = await db.prisma.tenant.create({ data: { name: 'Migrations check' } })
    expect(tenant.timeZone).toBe('Asia/Shanghai')
    expect(await db.prisma.tenant.count()).toBe(1)
  })

  it('reports a migration edited after it was applied', async () => {
    const files = await readMigrations()
    const edited = files.map((f, i) => (i === 0 ? { ...f, checksum: 'x'.repeat(64) } : f))
    const status = await migrationStatus(db.sql, edited)
    expect(status.edited).toEqual([files[0].name])
    expect(status.pending).toEqual([])
  })
})

it('PostgreSQL and PGlite end up with the same tables', async () => {
  expect(await tableNames(pglite)).toEqual(await tableNames(postgres))
})
