import type { AppContext } from '../context.ts'
import { NotFound } from '../errors.ts'
import { isRecordId } from '../http/record-id.ts'
import type { PlatformConnection } from '../generated/prisma/client.ts'
import { larkCredentialsSchema, wecomCredentialsSchema, type LarkCredentials, type WecomCredentials } from './credentials.ts'

type CredentialsOf = { lark: LarkCredentials; wecom: WecomCredentials }

/**
 * Webhooks look their connection up on every delivery; keeping it for a few seconds takes a query,
 * a decryption and a validation off the hot path. A disabled or edited connection takes effect
 * within CONNECTION_CACHE_MS on every process.
 */
export const CONNECTION_CACHE_MS = 10_000
type CacheEntry = { until: number; value: LoadedConnection<keyof CredentialsOf> | null }
const caches = new WeakMap<AppContext, Map<string, CacheEntry>>()

function cacheOf(ctx: AppContext): Map<string, CacheEntry> {
  let cache = caches.get(ctx)
  if (!cache) caches.set(ctx, (cache = new Map()))
  return cache
}

/** Drops a cached connection in this process at once (other processes follow within CONNECTION_CACHE_MS). */
export function forgetConnection(ctx: AppContext, id: string): void {
  for (const key of cacheOf(ctx).keys()) if (key.endsWith(`:${id}`)) cacheOf(ctx).delete(key)
}

export interface LoadedConnection<P extends keyof CredentialsOf> {
  connection: PlatformConnection
  credentials: CredentialsOf[P]
}

/** An enabled connection of the platform with its credentials unsealed; unknown or disabled → NotFound. */
export async function loadConnection<P extends keyof CredentialsOf>(ctx: AppContext, id: string, platform: P): Promise<LoadedConnection<P>> {
  // Ids are UUIDs: anything else (a NUL byte PostgreSQL refuses, a 10 kB segment) is unknown without a query or a cache entry.
  if (!isRecordId(id)) throw new NotFound('connection not found')
  const key = `${platform}:${id}`
  const now = Date.now()
  const cache = cacheOf(ctx)
  let entry = cache.get(key)
  if (!entry || entry.until < now) {
    const connection = await ctx.prisma.platformConnection.findFirst({ where: { id, platform, enabled: true } })
    const value = connection ? { connection, credentials: unsealCredentials(ctx, connection, platform) } : null
    entry = { until: now + CONNECTION_CACHE_MS, value }
    if (cache.size > 10_000) cache.clear()
    cache.set(key, entry)
  }
  if (!entry.value) throw new NotFound('connection not found')
  return entry.value as LoadedConnection<P>
}

export function unsealCredentials<P extends keyof CredentialsOf>(ctx: AppContext, connection: PlatformConnection, platform: P): CredentialsOf[P] {
  const raw = ctx.secrets.openJson<unknown>(connection.credentials)
  const schema = platform === 'lark' ? larkCredentialsSchema : wecomCredentialsSchema
  return schema.parse(raw) as CredentialsOf[P]
}
