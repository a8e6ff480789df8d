import type { FastifyServerOptions } from 'fastify'
import type { Config } from './config.ts'

/**
 * Paths pino blanks out. Secrets and tokens never reach logs; phone numbers neither.
 * Webhook bodies are never logged whole (they may hold credentials or personal data).
 */
const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-admin-token"]',
  'req.headers["x-lark-signature"]',
  '*.password',
  '*.secret',
  '*.appSecret',
  '*.app_secret',
  '*.token',
  '*.accessToken',
  '*.encryptKey',
  '*.verificationToken',
  '*.encodingAESKey',
  '*.pushKey',
  '*.key',
  '*.credentials',
  '*.phone',
  '*.contactPhone',
  '*.customerPhone',
  '*.mobile',
]

/** Query strings can carry a WeCom push key or a response_code: log the path only. */
function pathOnly(url: string | undefined): string | undefined {
  return url?.split('?')[0]
}

export function loggerOptions(config: Pick<Config, 'NODE_ENV' | 'LOG_LEVEL'>): FastifyServerOptions['logger'] {
  const base = {
    level: config.LOG_LEVEL,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    serializers: {
      req(req: { method: string; url?: string; id: string }) {
        return { method: req.method, url: pathOnly(req.url), id: req.id }
      },
    },
  }
  if (config.NODE_ENV === 'development') {
    return { ...base, transport: { target: 'pino-pretty', options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname' } } }
  }
  return base
}
