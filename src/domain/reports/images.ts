import type { Redis } from 'ioredis'
import type { PrismaClient } from '../../generated/prisma/client.ts'

/** Platforms name the chart file; the name is never shown in a group. */
export const REPORT_IMAGE_FILE_NAME = 'trend.png'

/** A stored report picture of this tenant, or null (another tenant's id reads as missing). */
export async function reportImagePng(prisma: PrismaClient, tenantId: string, id: string): Promise<Uint8Array<ArrayBuffer> | null> {
  const row = await prisma.reportImage.findFirst({ where: { id, tenantId }, select: { png: true } })
  return row ? new Uint8Array(row.png) : null
}

/**
 * The platform's id for an uploaded picture (Lark image_key, WeCom media_id), uploaded once per
 * account and picture: a thousand groups of one tenant share one upload (two processes racing may
 * upload twice; both ids work). Kept in Redis for
 * `ttlSeconds` (shorter than the platform keeps it); a flush only costs another upload.
 */
export function uploadedOnce(redis: Redis, key: string, ttlSeconds: number, upload: () => Promise<string>): Promise<string> {
  // Deliveries of one process that start together wait for the same upload.
  const pending = inFlight.get(key)
  if (pending) return pending
  const result = (async () => {
    const known = await redis.get(key)
    if (known) return known
    const id = await upload()
    await redis.set(key, id, 'EX', ttlSeconds)
    return id
  })().finally(() => inFlight.delete(key))
  inFlight.set(key, result)
  return result
}

const inFlight = new Map<string, Promise<string>>()
