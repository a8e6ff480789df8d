import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { PrismaPg } from '@prisma/adapter-pg'
import pg from 'pg'
import { PrismaClient } from '../generated/prisma/client.ts'
import type { SqlConnection } from './migrations.ts'

export type { PrismaClient }

/** The database frontdesk runs on: PostgreSQL when a URL is given, embedded PGlite otherwise. */
export interface Database {
  kind: 'postgres' | 'pglite'
  prisma: PrismaClient
  /** Raw SQL for migrations and health checks. */
  sql: SqlConnection
  /** Runs fn on one connection: advisory locks and BEGIN/COMMIT need a single session. */
  withSession<T>(fn: (conn: SqlConnection) => Promise<T>): Promise<T>
  close(): Promise<void>
}

export interface DatabaseOptions {
  /** postgres://… ; unset means embedded PGlite. */
  url?: string
  /** PGlite data directory; `memory://` for a throwaway in-memory database. */
  dataDir?: string
  /** PostgreSQL schema to use instead of public (each test file gets its own). */
  schema?: string
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (!options.url) return openPglite(options.dataDir ?? '.data/pglite')
  // Prisma's convention: ?schema=name in the URL picks the PostgreSQL schema.
  const url = new URL(options.url)
  const schema = options.schema ?? url.searchParams.get('schema') ?? undefined
  url.searchParams.delete('schema')
  return openPostgres(url.toString(), schema)
}

/**
 * Connections per process. Reminder firings (up to 32 at once) each hold one for their
 * transaction while deliveries and commands take theirs between: with 10, firings queued for a
 * client. Clients open only when needed, so an idle process holds few.
 */
const POOL_SIZE = 24

async function openPostgres(url: string, schema?: string): Promise<Database> {
  const searchPath = schema ? { options: `-c search_path="${schema}"` } : {}
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE, ...searchPath })
  // A failing idle client must not crash the process; the next query reports the problem.
  pool.on('error', () => {})
  // Like Prisma, create a named schema on first use so `?schema=` works on an empty database.
  if (schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replaceAll('"', '""')}"`)
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool, schema ? { schema } : undefined) })
  return {
    kind: 'postgres',
    prisma,
    sql: clientConnection(pool),
    async withSession(fn) {
      const client = await pool.connect()
      try {
        return await fn(clientConnection(client))
      } finally {
        client.release()
      }
    },
    async close() {
      await prisma.$disconnect()
      await pool.end()
    },
  }
}

function clientConnection(client: pg.Pool | pg.PoolClient): SqlConnection {
  return {
    async exec(text) {
      await client.query(text)
    },
    async query<Row>(text: string, params?: unknown[], options?: { name?: string }) {
      return (await (options?.name ? client.query({ name: options.name, text, values: params }) : client.query(text, params))).rows as Row[]
    },
  }
}

/** Loaded only when there is no DATABASE_URL: PGlite's WebAssembly build costs about 36 MB of RSS. */
async function openPglite(dataDir: string): Promise<Database> {
  const [{ PGlite }, { btree_gist }, { PrismaPGlite }, { withArrayLiterals }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('@electric-sql/pglite/contrib/btree_gist'),
    import('pglite-prisma-adapter'),
    import('./pglite-arrays.ts'),
  ])
  const inMemory = dataDir.startsWith('memory://')
  if (!inMemory) mkdirSync(path.resolve(dataDir), { recursive: true })
  // btree_gist backs the bookings' exclusion constraint (no overlapping holds of one resource lane).
  const client = new PGlite({ dataDir: inMemory ? undefined : path.resolve(dataDir), extensions: { btree_gist } })
  await client.waitReady
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(withArrayLiterals(client)) })
  const sql: SqlConnection = {
    async exec(text) {
      await client.exec(text)
    },
    async query<Row>(text: string, params?: unknown[]) {
      return (await client.query<Row>(text, params)).rows
    },
  }
  return {
    kind: 'pglite',
    prisma,
    sql,
    // PGlite is a single session already.
    withSession: (fn) => fn(sql),
    async close() {
      await prisma.$disconnect()
      await client.close()
    },
  }
}
