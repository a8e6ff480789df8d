import type { FastifyRequest } from 'fastify'

/**
 * A form post is accepted only from our own pages: when the browser names the page's origin
 * (Origin, else Referer), it must be ours. The form token is checked separately.
 */
export function fromOwnOrigin(request: FastifyRequest, publicBaseUrl: string): boolean {
  const origin = request.headers.origin ?? refererOrigin(request.headers.referer)
  if (!origin) return true
  const own = new Set([new URL(publicBaseUrl).origin, `${request.protocol}://${request.host}`])
  return own.has(origin)
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (!referer) return undefined
  try {
    return new URL(referer).origin
  } catch {
    return 'invalid'
  }
}

export function formField(body: unknown, name: string): string | undefined {
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[name] : undefined
  return typeof value === 'string' ? value : undefined
}
