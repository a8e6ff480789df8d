import { createHash } from 'node:crypto'
import path from 'node:path'
import { isIP } from 'node:net'
import { z } from 'zod'
import { isValidTimeZone } from './time/zone.ts'

/** Every environment variable frontdesk reads, in one place. `.env.example` documents each. */
const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes')

const proxyNames = new Set(['loopback', 'linklocal', 'uniquelocal'])
const isProxyAddress = (entry: string) => {
  const [address, prefix, extra] = entry.split('/')
  const version = isIP(address)
  if (!version || extra !== undefined) return proxyNames.has(entry)
  if (prefix === undefined) return true
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128)
}

/** "true" trusts every hop (only safe when the proxy overwrites the header); prefer a count or addresses. */
const trustProxy = z
  .string()
  .trim()
  .transform((value, ctx): boolean | number | string[] => {
    const lower = value.toLowerCase()
    if (['true', 'yes'].includes(lower)) return true
    if (['false', 'no'].includes(lower)) return false
    if (/^\d+$/.test(value)) return Number(value)
    const entries = value.split(',').map((entry) => entry.trim())
    const bad = entries.filter((entry) => !isProxyAddress(entry))
    if (bad.length === 0) return entries
    ctx.addIssue({ code: 'custom', message: `must be true, false, a hop count such as 1, or proxy addresses/CIDRs such as 127.0.0.1,10.0.0.0/8 (not: ${bad.join(', ')})` })
    return z.NEVER
  })

const timeZone = z.string().refine(isValidTimeZone, { message: 'must be an IANA time zone such as Asia/Shanghai' })

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  /** Which part of frontdesk this process runs: HTTP only, queue workers only, or both. */
  FRONTDESK_ROLE: z.enum(['web', 'worker', 'all']).default('all'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  /** postgres://… for PostgreSQL; unset for embedded PGlite in DATA_DIR. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  /** Where embedded PGlite and a self-started Redis keep their data. */
  DATA_DIR: z.string().min(1).default('.data'),
  /** Unset: redis://127.0.0.1:6379, starting a local redis-server if nothing answers there. */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://').optional(),
  /** Where to look for a Redis when REDIS_URL is unset (tests point it where nothing answers). */
  LOCAL_REDIS_URL: z.string().regex(/^redis:\/\//, 'must start with redis://').default('redis://127.0.0.1:6379'),
  /**
   * Prefix for every Redis key, so several deployments (or test files) can share one Redis.
   * Unset: `frontdesk` with REDIS_URL set, else one derived from DATA_DIR (see installRedisPrefix).
   */
  REDIS_PREFIX: z.string().min(1).optional(),
  /** How long SIGTERM may take to finish in-flight work before the process exits anyway. */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  PUBLIC_BASE_URL: z.url({ message: 'must be an absolute http(s) URL' }).optional(),
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** 32 bytes, base64 or hex, for encrypting stored platform credentials. */
  MASTER_KEY: z
    .string()
    .refine((key) => decodeMasterKey(key) !== null, 'must be 32 bytes as 64 hex characters or base64')
    .optional(),
  DEFAULT_TIME_ZONE: timeZone.default('Asia/Shanghai'),
  LARK_API_BASE_URL: z.url().default('https://open.feishu.cn'),
  WECOM_API_BASE_URL: z.url().default('https://qyapi.weixin.qq.com'),
  /** How far (seconds) a signed WeCom callback's timestamp may be from now before it counts as a replay. */
  WECOM_REPLAY_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  /**
   * Which X-Forwarded-For hops to believe for the client address (admin rate limits use it), in
   * Fastify's trustProxy forms: true/false, a hop count ("1"), or addresses and CIDRs of the proxies.
   */
  TRUST_PROXY: trustProxy.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Days a handled inbound event (and so its dedupe key) is kept: longer than any platform's retry ladder. */
  INBOUND_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(7),
  /** Create a demo tenant with console groups on first start with an empty database. */
  DEMO_SEED: booleanFlag.optional(),
})

export type Config = z.infer<typeof configSchema> & {
  /** Resolved values: never undefined after loadConfig. */
  PUBLIC_BASE_URL: string
  DEMO_SEED: boolean
  REDIS_PREFIX: string
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`frontdesk cannot start: the configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

export function decodeMasterKey(key: string): Buffer | null {
  const hex = /^[0-9a-fA-F]{64}$/.test(key) ? Buffer.from(key, 'hex') : null
  const bytes = hex ?? Buffer.from(key, 'base64')
  return bytes.length === 32 ? bytes : null
}

/** Reads and checks the environment; lists every problem at once. Empty strings count as unset. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''))
  const result = configSchema.safeParse(input)
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`))
  }
  const parsed = result.data
  const problems: string[] = []
  if (parsed.NODE_ENV === 'production') {
    if (!parsed.ADMIN_TOKEN) problems.push('ADMIN_TOKEN: required in production')
    if (!parsed.MASTER_KEY) problems.push('MASTER_KEY: required in production (generate one with `openssl rand -hex 32`)')
  }
  if (problems.length) throw new ConfigError(problems)
  return {
    ...parsed,
    PUBLIC_BASE_URL: (parsed.PUBLIC_BASE_URL ?? `http://localhost:${parsed.PORT}`).replace(/\/$/, ''),
    DEMO_SEED: parsed.DEMO_SEED ?? parsed.NODE_ENV !== 'production',
    REDIS_PREFIX: parsed.REDIS_PREFIX ?? (parsed.REDIS_URL ? 'frontdesk' : installRedisPrefix(parsed.DATA_DIR)),
  }
}

/**
 * Without REDIS_URL frontdesk may share the machine's Redis with another install: keys carry a
 * prefix unique to this data directory, so two installs never take each other's jobs. With
 * REDIS_URL set the operator chose the Redis, and every process of one deployment must agree
 * on the prefix across machines, so it stays `frontdesk`.
 */
export function installRedisPrefix(dataDir: string): string {
  return `frontdesk-${createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 10)}`
}
