import type { AppContext } from '../context.ts'

/** Rows deleted per statement: short locks and a bounded WAL burst even after a long pause. */
const PURGE_BATCH = 5000

/**
 * Deletes handled (processed or failed) inbound events older than INBOUND_RETENTION_DAYS. Their
 * dedupe key only has to outlive the platforms' retry ladders (hours); pending events are kept.
 */
export async function purgeHandledInbound(ctx: AppContext, now = new Date()): Promise<number> {
  const cutoff = new Date(now.getTime() - ctx.config.INBOUND_RETENTION_DAYS * 24 * 3600_000)
  let purged = 0
  for (;;) {
    const [{ deleted }] = await ctx.db.sql.query<{ deleted: number }>(
      `WITH gone AS (
         DELETE FROM "InboundEvent" WHERE id IN (
           SELECT id FROM "InboundEvent" WHERE status IN ('processed', 'failed') AND "receivedAt" < $1 LIMIT ${PURGE_BATCH}
         ) RETURNING 1
       ) SELECT count(*)::int AS deleted FROM gone`,
      [cutoff],
    )
    purged += deleted
    if (deleted < PURGE_BATCH) break
  }
  if (purged) ctx.log.info({ purged, olderThanDays: ctx.config.INBOUND_RETENTION_DAYS }, 'purged handled inbound events')
  return purged
}
