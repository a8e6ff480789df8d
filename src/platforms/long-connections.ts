import type { AppContext } from '../context.ts'
import type { PlatformConnection } from '../generated/prisma/client.ts'
import { unsealCredentials } from './connections.ts'
import { startLarkLongConnection, type LarkLongConnectionDeps } from './lark/long-connection.ts'
import { startWecomLongConnection, type WecomLongConnectionDeps } from './wecom/long-connection.ts'

/** One running platform client. */
export interface LongConnectionHandle {
  close(): Promise<void>
}

export interface LongConnectionsDeps {
  /** Client factories per platform: tests replace the SDK clients with fakes. */
  lark?: LarkLongConnectionDeps
  wecom?: WecomLongConnectionDeps
  /** How often the set of connections is re-read, so admin changes reach running workers. */
  refreshIntervalMs?: number
}

export interface LongConnections {
  /** Re-reads the connections now (also runs every refresh interval); resolves when the set is applied. */
  refresh(): Promise<void>
  /** Ids of the connections with a running client. */
  running(): string[]
  close(): Promise<void>
}

export const LONG_CONNECTION_REFRESH_MS = 60_000

interface Running {
  version: string
  handle: LongConnectionHandle
}

/** A row whose platform or credentials changed is a different client. The sealed blob is compared, never opened or logged. */
function versionOf(connection: PlatformConnection): string {
  return `${connection.platform}:${connection.credentials}`
}

async function startOne(ctx: AppContext, connection: PlatformConnection, deps: LongConnectionsDeps): Promise<LongConnectionHandle> {
  switch (connection.platform) {
    case 'lark':
      return startLarkLongConnection(ctx, connection, unsealCredentials(ctx, connection, 'lark'), deps.lark)
    case 'wecom':
      return startWecomLongConnection(ctx, connection, unsealCredentials(ctx, connection, 'wecom'), deps.wecom)
    default:
      throw new Error(`${connection.platform} has no long-connection mode`)
  }
}

/** Errors reaching it were logged already by the queue. */
const ignore = () => {}

/** Error text for the log: our own messages and zod issue lists name fields, never their values. */
function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 300) : 'unknown error'
}

/**
 * Keeps one SDK client per enabled connection in mode `long_connection`, for deployments without a
 * public URL. The set is re-read every refresh interval: new connections start, disabled or deleted
 * ones stop, edited ones restart. A connection that fails to start is logged once and retried only
 * after its row changes; it never holds up the others. Reconnects are the SDKs' own business.
 */
export function startLongConnections(ctx: AppContext, deps: LongConnectionsDeps = {}): LongConnections {
  const log = ctx.log.child({ component: 'long-connections' })
  const intervalMs = deps.refreshIntervalMs ?? LONG_CONNECTION_REFRESH_MS
  const running = new Map<string, Running>()
  /** Connection id → the version that failed to start. */
  const failed = new Map<string, string>()
  let closed = false
  let timer: NodeJS.Timeout | undefined
  let loadFailing = false

  // Refreshes and close() run one at a time, so a client started during shutdown is still stopped.
  let queue: Promise<void> = Promise.resolve()
  const serially = (task: () => Promise<void>): Promise<void> => {
    const next = queue.then(task)
    queue = next.catch((error) => log.error({ err: reasonOf(error) }, 'long-connection refresh failed'))
    return next
  }

  async function stop(id: string, entry: Running): Promise<void> {
    running.delete(id)
    try {
      await entry.handle.close()
    } catch (error) {
      log.warn({ connectionId: id, err: reasonOf(error) }, 'long connection did not close cleanly')
    }
  }

  async function sync(): Promise<void> {
    if (closed) return
    let rows: PlatformConnection[]
    try {
      rows = await ctx.prisma.platformConnection.findMany({ where: { enabled: true, mode: 'long_connection' }, orderBy: { createdAt: 'asc' } })
    } catch (error) {
      // The running clients keep going; the next refresh tries again.
      if (!loadFailing) log.warn({ err: reasonOf(error) }, 'could not load long connections')
      loadFailing = true
      return
    }
    loadFailing = false
    const wanted = new Map(rows.map((row) => [row.id, row]))

    for (const [id, entry] of [...running]) {
      const row = wanted.get(id)
      if (row && versionOf(row) === entry.version) continue
      await stop(id, entry)
      log.info({ connectionId: id }, row ? 'long connection changed: restarting' : 'long connection stopped')
    }
    for (const [id, version] of [...failed]) {
      const row = wanted.get(id)
      if (!row || versionOf(row) !== version) failed.delete(id)
    }

    for (const row of rows) {
      if (closed) return
      if (running.has(row.id) || failed.has(row.id)) continue
      const version = versionOf(row)
      try {
        const handle = await startOne(ctx, row, deps)
        running.set(row.id, { version, handle })
        log.info({ connectionId: row.id, platform: row.platform }, 'long connection started')
      } catch (error) {
        failed.set(row.id, version)
        log.error({ connectionId: row.id, platform: row.platform, err: reasonOf(error) }, 'long connection could not start')
      }
    }
  }

  const schedule = () => {
    if (closed) return
    timer = setTimeout(() => void serially(sync).catch(ignore).finally(schedule), intervalMs)
    timer.unref()
  }
  void serially(sync).catch(ignore).finally(schedule)

  return {
    refresh: () => serially(sync),
    running: () => [...running.keys()],
    async close() {
      closed = true
      clearTimeout(timer)
      await serially(async () => {
        await Promise.all([...running].map(([id, entry]) => stop(id, entry)))
      })
    },
  }
}
