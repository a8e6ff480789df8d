/** The DateTime fields of a model: the compiler refuses a map that misses one or names another. */
export type DateFields<T> = { [K in keyof T]-?: NonNullable<T[K]> extends Date ? K : never }[keyof T]

/**
 * A row read as to_jsonb(row), typed as Prisma gives it: jsonb writes timestamps as ISO strings,
 * which become Dates again; the models read this way have no BigInt, Decimal or Bytes columns, whose
 * JSON differs from Prisma's values too.
 */
export function fromJsonRow<T>(row: Record<string, unknown>, dates: Record<DateFields<T>, true>): T {
  for (const field of Object.keys(dates)) if (typeof row[field] === 'string') row[field] = new Date(row[field])
  return row as T
}
