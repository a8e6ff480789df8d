import type { PGlite, Transaction } from '@electric-sql/pglite'

/**
 * PGlite serialises a JS array parameter by its declared type, and for arrays of an enum (Role[])
 * it knows none, so `roles @> $1` with ['technician'] reaches PostgreSQL as "technician" and fails
 * ("malformed array literal"). node-postgres always sends arrays as literals; this does the same
 * for the client the Prisma adapter uses, in and out of transactions.
 */
export function withArrayLiterals(client: PGlite): PGlite {
  return wrap(client) as PGlite
}

type Queryable = PGlite | Transaction

function wrap<T extends Queryable>(target: T): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      if (property === 'query') {
        return (sql: string, params?: unknown[], options?: object) =>
          object.query(sql, params?.map((p) => (Array.isArray(p) ? arrayLiteral(p) : p)), options as never)
      }
      if (property === 'transaction' && 'transaction' in object) {
        return <R>(callback: (tx: Transaction) => Promise<R>) => (object as PGlite).transaction((tx) => callback(wrap(tx)))
      }
      const value = Reflect.get(object, property, receiver)
      return typeof value === 'function' ? value.bind(object) : value
    },
  })
}

/** A PostgreSQL array literal: {"a","b\"c",NULL,{"nested"}}. */
export function arrayLiteral(values: unknown[]): string {
  const items = values.map((value) => {
    if (value === null || value === undefined) return 'NULL'
    if (Array.isArray(value)) return arrayLiteral(value)
    const text = value instanceof Date ? value.toISOString() : String(value)
    return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`
  })
  return `{${items.join(',')}}`
}
