import { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest, type FastifyServerOptions } from 'fastify'
import type { Bindings, ChildLoggerOptions, Level, Logger } from 'pino'
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

/** The one line each request leaves: method, path without its query, status, duration; reqId is bound. */
export function logRequestLine(request: FastifyRequest, status: number, durationMs: number): void {
  request.log.info({ method: request.method, path: pathOnly(request.url), status, ms: Math.round(durationMs * 10) / 10 }, 'request')
}

/**
 * Replaces Fastify's "incoming request" + "request completed" pair with one line per request,
 * and its 404 line, which repeats the raw URL with its query, with nothing (the request line
 * already says 404). Fastify 5.12 deprecates `disableRequestLogging` in favour of this class.
 */
export class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    logRequestLine(request, reply.statusCode, reply.elapsedTime)
    if (error) reply.log.error({ err: error }, 'response failed')
  }

  override routeNotFound(): void {}
}

/**
 * Fastify gives every request a child logger bound to its id, and a pino child runs the redaction
 * over its bindings when it is made: most requests write nothing below LOG_LEVEL=info, yet each
 * paid for one. This stands in for the child and makes it on the first line written at an
 * enabled level (Fastify's childLoggerFactory), so the lines are the same as before.
 */
export function childOnFirstLine(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  return new ChildOnFirstLine(parent as unknown as Logger, bindings, options) as unknown as FastifyBaseLogger
}

class ChildOnFirstLine {
  #child: Logger | undefined
  constructor(
    private readonly parent: Logger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  get level(): string {
    return this.#child?.level ?? this.options.level ?? this.parent.level
  }

  set level(level: string) {
    this.child().level = level
  }

  child(bindings?: Bindings, options?: ChildLoggerOptions): Logger {
    this.#child ??= this.parent.child(this.bindings, this.options)
    return bindings ? this.#child.child(bindings, options) : this.#child
  }

  fatal(...line: unknown[]): void {
    this.write('fatal', line)
  }
  error(...line: unknown[]): void {
    this.write('error', line)
  }
  warn(...line: unknown[]): void {
    this.write('warn', line)
  }
  info(...line: unknown[]): void {
    this.write('info', line)
  }
  debug(...line: unknown[]): void {
    this.write('debug', line)
  }
  trace(...line: unknown[]): void {
    this.write('trace', line)
  }
  silent(): void {}

  private write(level: Level, line: unknown[]): void {
    const values = this.parent.levels.values
    if (values[level] < values[this.level]) return
    ;(this.child()[level] as (...args: unknown[]) => void)(...line)
  }
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
