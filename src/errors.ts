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

const statusByKind = new Map<Function, number>([
  [BadInput, 400],
  [Unauthorized, 401],
  [Forbidden, 403],
  [NotFound, 404],
  [Conflict, 409],
  [RateLimited, 429],
])

export function httpStatusOf(error: unknown): number {
  for (const [kind, status] of statusByKind) if (error instanceof kind) return status
  return 500
}
