import { z } from 'zod'
import { mentionSchema } from '../../messages/reply.ts'

/**
 * Typed argument values, by argument type (see argTypeSchema in ../catalog.ts):
 * ticket → number, unit/phone/code/text → string, choice → vocabulary key, member → Mention (or
 * MemberName when the platform sent only "@Name" text),
 * fee → integer cents, rating → 1…5, command → command id, datetime → When.
 */

/**
 * A resolved date or time. `start` and `end` are UTC instants (ISO 8601). precision "time": a
 * clock time (end present for ranges like 14:00-16:00); "period": part of a day (明天下午 →
 * 13:00–18:00); "day": a whole day (周五 → 00:00 to the next 00:00).
 */
export const whenSchema = z.object({
  start: z.iso.datetime(),
  end: z.iso.datetime().optional(),
  precision: z.enum(['time', 'period', 'day']),
})

/**
 * A member written as "@Name" with no platform mention behind it (WeCom robot callbacks carry none):
 * the command layer looks the name up among the tenant's members and their aliases.
 */
export const memberNameSchema = z.object({ memberName: z.string().min(1) })

export const argValueSchema = z.union([z.string(), z.number(), mentionSchema, memberNameSchema, whenSchema])

export const parsedArgsSchema = z.record(z.string(), argValueSchema)

export type When = z.infer<typeof whenSchema>
export type MemberName = z.infer<typeof memberNameSchema>
export type ArgValue = z.infer<typeof argValueSchema>
export type ParsedArgs = z.infer<typeof parsedArgsSchema>

/** Why a value that was recognised as an attempt at an argument was refused. */
export const invalidReasonSchema = z.enum([
  'format', // not recognisable as this kind of value
  'past', // a date or time already over
  'ambiguous-time', // a bare hour (9点) already past today: which day is meant is unclear
  'future', // a time that has not come yet, where one already past is meant (收到 9:20)
  'range', // a time range that ends before it starts
  'out-of-range', // a number outside the allowed range (rating 1-5)
  'unknown-command', // help for a command that does not exist
])

export type InvalidReason = z.infer<typeof invalidReasonSchema>
