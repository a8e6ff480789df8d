import type { Database } from './database.ts'
import { applyMigrations } from './migrations.ts'

/** Applies pending migrations under the migration lock; safe when several processes start at once. */
export async function migrateOnStart(db: Database): Promise<string[]> {
  return db.withSession((conn) => applyMigrations(conn))
}
