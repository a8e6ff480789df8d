import type { Redis } from 'ioredis'

/**
 * Per-destination send budget in Redis, shared by every worker process. A WeCom push key allows
 * 20 messages a minute; a Lark group 5 a second (platforms.md §2.1, §3.9). When a platform
 * throttles anyway, the destination is paused until the platform's window has passed.
 */
export interface DestinationLimit {
  max: number
  windowMs: number
}

export interface DestinationLimiter {
  /** Takes a slot and returns 0, or returns how many ms to wait for one. */
  acquire(destination: string, limit: DestinationLimit, now: number): Promise<number>
  /** Blocks a destination until `until` (epoch ms), after a platform throttle error. */
  pause(destination: string, until: number): Promise<void>
}

// Sliding log of send times: trim the window, refuse when full, else record this send. Atomic in Redis.
const acquireScript = `
local key, pausedKey = KEYS[1], KEYS[2]
local now, window, max, member = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4]
local pausedUntil = tonumber(redis.call('GET', pausedKey) or '0')
if pausedUntil > now then return pausedUntil - now end
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
if redis.call('ZCARD', key) >= max then
  local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
  return tonumber(oldest[2]) + window - now + 1
end
redis.call('ZADD', key, now, member)
redis.call('PEXPIRE', key, window)
return 0
`

export function createDestinationLimiter(redis: Redis, prefix: string): DestinationLimiter {
  let counter = 0
  return {
    async acquire(destination, limit, now) {
      const member = `${now}:${process.pid}:${counter++}`
      const wait = await redis.eval(
        acquireScript,
        2,
        `${prefix}:limit:${destination}`,
        `${prefix}:limit-paused:${destination}`,
        now,
        limit.windowMs,
        limit.max,
        member,
      )
      return Number(wait)
    },
    async pause(destination, until) {
      const ttl = Math.max(1, until - Date.now())
      await redis.set(`${prefix}:limit-paused:${destination}`, String(until), 'PX', ttl)
    },
  }
}
