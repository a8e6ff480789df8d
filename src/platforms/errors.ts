import { BadInput, Unauthorized } from '../errors.ts'

/**
 * Errors of the platform protocol layer, in two families:
 * - inbound (a webhook request we must refuse): they extend the app's BadInput / Unauthorized, so
 *   `httpStatusOf` in src/errors.ts already maps them to 400 / 401;
 * - outbound (a platform API call failed): one PlatformError whose `kind` tells the worker whether to
 *   retry, wait, or give up.
 */

export type PlatformName = 'lark' | 'wecom'

/** Options shared by the inbound errors: the WXBizMsgCrypt return code they mirror, when any (platforms.md §1.4). */
export interface InboundErrorOptions {
  code?: number
  cause?: unknown
}

/** The body (JSON, XML, envelope fields) cannot be read: answer 400. */
export class MalformedPayload extends BadInput {
  readonly code?: number
  constructor(message: string, options: InboundErrorOptions = {}) {
    super(message)
    this.code = options.code
    if (options.cause !== undefined) this.cause = options.cause
  }
}

/** The ciphertext is not valid base64/AES/padding/layout for our key (WXBizMsgCrypt -40007 / -40008 / -40010). */
export class DecryptFailed extends MalformedPayload {}

/** The request signature does not match (WXBizMsgCrypt -40001, X-Lark-Signature): answer 401. */
export class BadSignature extends Unauthorized {
  readonly code?: number
  constructor(message = 'signature mismatch', options: InboundErrorOptions = {}) {
    super(message)
    this.code = options.code
  }
}

/** The request timestamp is outside the accepted window (replay protection). */
export class StaleRequest extends Unauthorized {}

/** The Verification Token in the body (Lark) or the receive id after decryption (WeCom -40005) is not ours. */
export class WrongToken extends Unauthorized {
  readonly code?: number
  constructor(message: string, options: InboundErrorOptions = {}) {
    super(message)
    this.code = options.code
  }
}

/**
 * How the outbound worker treats a failure:
 * - retryable: try again with backoff (network error, 5xx, "system busy");
 * - throttled: wait `retryAfterMs` (when known) before the next try;
 * - permanent: retrying cannot help (bad credentials, bot removed, content rejected).
 */
export type FailureKind = 'retryable' | 'throttled' | 'permanent'

export interface PlatformErrorDetails {
  platform: PlatformName
  kind: FailureKind
  /** The platform's business code (Lark `code`, WeCom `errcode`), when the platform answered. */
  code?: number
  /** HTTP status, when there was a response. */
  status?: number
  retryAfterMs?: number
  cause?: unknown
}

/** A failed platform API call. Messages never contain secrets (webhook keys, tokens, response codes). */
export class PlatformError extends Error {
  readonly platform: PlatformName
  readonly kind: FailureKind
  readonly code?: number
  readonly status?: number
  readonly retryAfterMs?: number

  constructor(message: string, details: PlatformErrorDetails) {
    super(message)
    this.name = 'PlatformError'
    this.platform = details.platform
    this.kind = details.kind
    this.code = details.code
    this.status = details.status
    this.retryAfterMs = details.retryAfterMs
    if (details.cause !== undefined) this.cause = details.cause
  }

  get permanent(): boolean {
    return this.kind === 'permanent'
  }
}

/** Parses a Retry-After style value (seconds) into milliseconds; undefined when absent or unreadable. */
export function secondsHeaderToMs(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined
  const seconds = Number(value)
  return Number.isFinite(seconds) && seconds >= 0 ? Math.ceil(seconds * 1000) : undefined
}
