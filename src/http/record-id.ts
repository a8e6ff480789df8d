/** Every table's id is a UUID (prisma/schema.prisma, @default(uuid())), in any letter case. */
const RECORD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * True when a path or body value can be a record id. Checking first answers a 404 for ids that
 * cannot exist, instead of handing PostgreSQL a NUL byte it refuses (which would be a 500).
 */
export function isRecordId(value: string): boolean {
  return RECORD_ID.test(value)
}
