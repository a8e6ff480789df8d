import type { AppContext } from '../context.ts'
import { httpStatusOf, NotFound } from '../errors.ts'
import { ConnectionChanged } from '../inbox/accept.ts'
import { isRecordId } from '../http/record-id.ts'
import type { PlatformConnection } from '../generated/prisma/client.ts'
import { larkCredentialsSchema, wecomCredentialsSchema, type LarkCredentials, type WecomCredentials } from './credentials.ts'

type CredentialsOf = { lark: LarkCredentials; wecom: WecomCredentials }

/**
 * Webhooks look their connection up on every delivery: the unsealed, validated credentials are
 * kept in memory so a delivery costs no query and no decryption. Staleness is caught where it
 * matters, in every process at once: a delivery stored from a cached connection is stored only
 * if the connection row is still enabled with the same credentials and bot id (checked inside the
 * same INSERT, see acceptInbound's verifiedConnection), and anything else is answered only after
 * a fresh read (withCurrentConnection). The expiry below only bounds the memory of idle entries.
 */
export const CONNECTION_CACHE_MS = 10 * 60_000
/** An unknown or disabled id is refused from memory for this long (enabling one elsewhere takes up to this). */
export const MISSING_CONNECTION_CACHE_MS = 10_000
const CACHE_LIMIT = 10_000
type CacheEntry = { until: number; value: LoadedConnection<keyof CredentialsOf> | null }
const caches = new WeakMap<AppContext, Map<string, CacheEntry>>()

function cacheOf(ctx: AppContext): Map<string, CacheEntry> {
  let cache = caches.get(ctx)
  if (!cache) caches.set(ctx, (cache = new Map()))
  return cache
}

/** Drops a cached connection in this process at once (other processes notice on their next delivery). */
export function forgetConnection(ctx: AppContext, id: string): void {
  for (const key of cacheOf(ctx).keys()) if (key.endsWith(`:${id}`)) cacheOf(ctx).delete(key)
}

export interface LoadedConnection<P extends keyof CredentialsOf> {
  connection: PlatformConnection
  credentials: CredentialsOf[P]
}

/**
 * An enabled connection of the platform with its credentials unsealed; unknown or disabled → NotFound.
 * From memory when cached, unless `fresh` asks for the row as it is now.
 */
export async function loadConnection<P extends keyof CredentialsOf>(
  ctx: AppContext,
  id: string,
  platform: P,
  options: { fresh?: boolean } = {},
): Promise<LoadedConnection<P>> {
  // Ids are UUIDs: anything else (a NUL byte PostgreSQL refuses, a 10 kB segment) is unknown without a query or a cache entry.
  if (!isRecordId(id)) throw new NotFound('connection not found')
  const key = `${platform}:${id}`
  const cache = cacheOf(ctx)
  let entry = cache.get(key)
  const now = Date.now()
  // A cached "not found" is trusted even for a fresh read: it only ever delays an enable, never a disable.
  if (!entry || entry.until < now || (options.fresh && entry.value)) {
    const connection = await ctx.prisma.platformConnection.findFirst({ where: { id, platform, enabled: true } })
    const value = connection ? { connection, credentials: unsealCredentials(ctx, connection, platform) } : null
    entry = { until: now + (value ? CONNECTION_CACHE_MS : MISSING_CONNECTION_CACHE_MS), value }
    if (cache.size >= CACHE_LIMIT) cache.clear()
    cache.set(key, entry)
  }
  if (!entry.value) throw new NotFound('connection not found')
  return entry.value as LoadedConnection<P>
}

/** What a delivery handler returns: its answer, and whether storing it proved the connection current. */
export interface DeliveryOutcome<T> {
  answer: T
  /** True when the stored row was checked against the connection row in the same statement. */
  confirmed: boolean
}

/**
 * Handles a delivery with the cached connection and keeps the answer if storing it confirmed the
 * connection; otherwise (nothing stored, a refusal that stale credentials could explain, or the
 * connection changed under the INSERT) handles it again with a fresh read. So rotated or disabled
 * connections are honoured on the very next delivery in every process, and the common case, a
 * stored message, costs no extra query.
 */
export async function withCurrentConnection<P extends keyof CredentialsOf, T>(
  ctx: AppContext,
  id: string,
  platform: P,
  handle: (loaded: LoadedConnection<P>) => Promise<DeliveryOutcome<T>>,
): Promise<T> {
  const cached = await loadConnection(ctx, id, platform)
  try {
    const outcome = await handle(cached)
    if (outcome.confirmed) return outcome.answer
  } catch (error) {
    if (!mayBeStale(error)) throw error
  }
  return (await handle(await loadConnection(ctx, id, platform, { fresh: true }))).answer
}

/** Refusals that older credentials would explain (signature, token, decryption) and a changed connection; not an outage. */
function mayBeStale(error: unknown): boolean {
  if (error instanceof ConnectionChanged) return true
  const status = httpStatusOf(error, 500)
  return status >= 400 && status < 500
}

export function unsealCredentials<P extends keyof CredentialsOf>(ctx: AppContext, connection: PlatformConnection, platform: P): CredentialsOf[P] {
  const raw = ctx.secrets.openJson<unknown>(connection.credentials)
  const schema = platform === 'lark' ? larkCredentialsSchema : wecomCredentialsSchema
  return schema.parse(raw) as CredentialsOf[P]
}
