import type { z } from 'zod'
import { BadInput } from '../errors.ts'

export interface FieldProblem {
  field: string
  message: string
}

/** A request that failed its schema: answered with a 400 naming each field (app.ts, admin routes). */
export class InvalidRequest extends BadInput {
  constructor(readonly fields: FieldProblem[]) {
    super('invalid request')
  }
}

/** Parses with a zod schema or throws InvalidRequest listing every problem by dotted field path. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const fields: FieldProblem[] = []
  for (const issue of result.error.issues) {
    const at = issue.path.map(String)
    // Unknown keys are reported on the object itself; name each key so typos are obvious.
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields.push({ field: [...at, key].join('.'), message: 'unknown field' })
      continue
    }
    fields.push({ field: at.length ? at.join('.') : 'body', message: issue.message })
  }
  throw new InvalidRequest(fields)
}
