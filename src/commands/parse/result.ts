import { z } from 'zod'
import { languageSchema } from '../catalog.ts'
import { invalidReasonSchema, parsedArgsSchema } from './values.ts'

/** What parse() returns: a command with typed arguments, or why the text is not one. */
export const parseErrorSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('unknown-command'),
    /** The word that looked like a command. */
    input: z.string(),
    /** Closest command names, best first (may be empty). */
    suggestions: z.array(z.string()),
  }),
  z.object({
    kind: z.literal('missing-argument'),
    command: z.string(),
    argument: z.string(),
    /** An example of the command in the language it was typed in. */
    example: z.string(),
  }),
  z.object({
    kind: z.literal('invalid-argument'),
    command: z.string(),
    argument: z.string(),
    value: z.string(),
    example: z.string(),
    reason: invalidReasonSchema,
  }),
  z.object({ kind: z.literal('not-a-command') }),
])

export const parseResultSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), command: z.string(), language: languageSchema, args: parsedArgsSchema }),
  z.object({
    ok: z.literal(false),
    /** The language to answer in: that of the command word, or of the text when there was none. */
    language: languageSchema,
    error: parseErrorSchema,
  }),
])

export type ParseError = z.infer<typeof parseErrorSchema>
export type ParseResult = z.infer<typeof parseResultSchema>
export type ParseSuccess = Extract<ParseResult, { ok: true }>
export type ParseFailure = Extract<ParseResult, { ok: false }>
