/**
 * The few error kinds frontdesk raises on purpose. HTTP status and chat wording are mapped in one
 * place each (httpStatusOf here; the command layer maps them to replies).
 */
export class AppError extends Error {
  constructor(
    message: string,
    /** A hint for the person who can fix it (shown to users as is). */
    readonly hint?: string,
  ) {
    super(message)
    this.name = new.target.name
  }
}
export class BadInput extends AppError {}
export class NotFound extends AppError {}
export class Forbidden extends AppError {}
export class Unauthorized extends AppError {}
export class Conflict extends AppError {}
export class RateLimited extends AppError {}
/** A dependency (the database) cannot be reached: nothing was stored, so asking again later is safe. */
export class ServiceUnavailable extends AppError {
  /** How long a caller should wait before asking again (HTTP Retry-After). */
  readonly retryAfterSeconds = 5
}

const statusByKind = new Map<Function, number>([
  [BadInput, 400],
  [Unauthorized, 401],
  [Forbidden, 403],
  [NotFound, 404],
  [Conflict, 409],
  [RateLimited, 429],
  [ServiceUnavailable, 503],
])

/** The HTTP status for an error: its kind, else 503 for an unreachable database, else `fallback`. */
export function httpStatusOf(error: unknown, fallback = 500): number {
  for (const [kind, status] of statusByKind) if (error instanceof kind) return status
  if (isDatabaseUnavailable(error)) return 503
  return fallback
}

// Prisma: P1001 can't reach, P1002 timed out, P1008 operation timed out, P1017 server closed the
// connection, P2024 no pool connection in time (and its interactive-transaction form, which has no
// code of its own). pg / Node: refused, reset, timed out, shutting down.
const unavailableCodes = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', '57P01', '57P03'])
const unavailableMessages = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Can't reach database server|DatabaseNotReachable|Client has encountered a connection error|server closed the connection|Unable to start a transaction in the given time/i

/**
 * True when the error says the database could not be reached (rather than refused the query):
 * the work should be tried again later, not given up on.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    if (current instanceof ServiceUnavailable) return true
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown }
    if (typeof code === 'string' && unavailableCodes.has(code)) return true
    if (typeof message === 'string' && unavailableMessages.test(message)) return true
    current = cause
  }
  return false
}
