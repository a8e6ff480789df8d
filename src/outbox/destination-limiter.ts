import type { Redis } from 'ioredis'

/**
 * Send budgets in Redis, shared by every worker process. A WeCom push key allows 20 messages a
 * minute; a Lark group 5 a second, and a Lark app 50 a second and 1,000 a minute over all its
 * groups (platforms.md §2.1, §3.9). A delivery may need a slot in several buckets at once (its
 * group's and its app's): it takes one in each or in none. When a platform throttles anyway, the
 * destination is paused until the platform's window has passed.
 */
export interface DestinationLimit {
  max: number
  windowMs: number
}

/** One bucket, or several taken together (same order as the limits). */
export type Buckets = string | readonly string[]
export type Limits = DestinationLimit | readonly DestinationLimit[]

/** What a sender asks of the limiter for one delivery. */
export interface Budget {
  bucket: Buckets
  limit: Limits
}

export interface DestinationLimiter {
  /** Takes a slot in every bucket and returns 0, or takes none and returns how many ms to wait. */
  acquire(bucket: Buckets, limit: Limits, now: number): Promise<number>
  /** Blocks a destination (the first bucket of several) until `until` (epoch ms), after a platform throttle error. */
  pause(bucket: Buckets, until: number): Promise<void>
}

// Sliding log of send times per bucket (KEYS[2i-1] the log, KEYS[2i] its pause): trim every window,
// answer the longest wait if any bucket is paused or full, else record this send in all. Atomic in Redis.
const acquireScript = `
local now, member = tonumber(ARGV[1]), ARGV[2]
local count = #KEYS / 2
local wait = 0
for i = 1, count do
  local key, pausedKey = KEYS[2 * i - 1], KEYS[2 * i]
  local window, max = tonumber(ARGV[1 + 2 * i]), tonumber(ARGV[2 + 2 * i])
  local pausedUntil = tonumber(redis.call('GET', pausedKey) or '0')
  if pausedUntil - now > wait then wait = pausedUntil - now end
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  if redis.call('ZCARD', key) >= max then
    local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    local free = tonumber(oldest[2]) + window - now + 1
    if free > wait then wait = free end
  end
end
if wait > 0 then return wait end
for i = 1, count do
  redis.call('ZADD', KEYS[2 * i - 1], now, member)
  redis.call('PEXPIRE', KEYS[2 * i - 1], tonumber(ARGV[1 + 2 * i]))
end
return 0
`

const asList = <T>(value: T | readonly T[]): readonly T[] => (Array.isArray(value) ? (value as readonly T[]) : [value as T])

export function createDestinationLimiter(redis: Redis, prefix: string): DestinationLimiter {
  let counter = 0
  return {
    async acquire(bucket, limit, now) {
      const buckets = asList(bucket)
      const limits = asList(limit)
      if (buckets.length !== limits.length || buckets.length === 0) throw new RangeError('one limit per bucket')
      const keys = buckets.flatMap((b) => [`${prefix}:limit:${b}`, `${prefix}:limit-paused:${b}`])
      const args = limits.flatMap((l) => [l.windowMs, l.max])
      const member = `${now}:${process.pid}:${counter++}`
      return Number(await redis.eval(acquireScript, keys.length, ...keys, now, member, ...args))
    },
    async pause(bucket, until) {
      // A throttle names the destination, not the app: pausing the app would hold back every group for one.
      const destination = asList(bucket)[0]
      const ttl = Math.max(1, until - Date.now())
      await redis.set(`${prefix}:limit-paused:${destination}`, String(until), 'PX', ttl)
    },
  }
}
