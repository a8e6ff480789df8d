import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseDocument } from 'yaml'
import { z } from 'zod'
import { Role } from '../generated/prisma/enums.ts'
import { normalize } from './parse/normalize.ts'

/**
 * The chat command catalog (bot-commands/catalog.yaml): names, arguments, roles, help and examples
 * as data. Parsing, help, did-you-mean and error messages are all driven by it.
 */

export const defaultCatalogPath = fileURLToPath(new URL('../../bot-commands/catalog.yaml', import.meta.url))

export const languageSchema = z.enum(['zh', 'en'])
export const roleSchema = z.enum(Role)

/** What kind of value an argument holds; each kind has one extractor in parse/args.ts. */
export const argTypeSchema = z.enum([
  'ticket', // #1023, 1023号, No.1023 → number
  'unit', // 3-2-501, 3栋2单元501, A座1203 → canonical "3-2-501" / "A-1203"
  'text', // whatever is left of the message
  'choice', // a word from a vocabulary → the vocabulary key
  'phone', // mainland mobile or landline → "13800138000" / "010-12345678"
  'datetime', // 明天下午3点, fri 2-4pm → When
  'member', // an @-mentioned member → { userId, name }
  'fee', // 材料费30元, ¥30, fee 30 → cents
  'rating', // 1 to 5
  'code', // a binding code: letters, digits and dashes
  'command', // the name of another command → its id
])

const words = z.array(z.string().trim().min(1)).min(1)
const localizedText = z.object({ zh: z.string().trim().min(1), en: z.string().trim().min(1) })
const localizedWords = z.object({ zh: words, en: words })

export const argSchema = z.object({
  name: z.string().regex(/^[a-z][a-zA-Z]*$/, 'must be a camelCase code name'),
  type: argTypeSchema,
  required: z.boolean().default(true),
  /** For type choice: the vocabulary its words come from. */
  vocabulary: z.string().optional(),
  /** Words that introduce the value (电话 138…, 预约 明天…); the value may also appear on its own. */
  keywords: z.object({ zh: z.array(z.string().min(1)).default([]), en: z.array(z.string().min(1)).default([]) }).optional(),
  /** What the argument is called in usage lines and error messages. */
  label: localizedText,
  /** For type datetime: 'past' reads a time already gone (收到 9:20 at 10:05 is today, at 8:00 yesterday). */
  tense: z.enum(['ahead', 'past']).optional(),
})

export const commandSchema = z.object({
  id: z.string().regex(/^[a-z]+(?:-[a-z]+)*$/, 'must be a kebab-case code name'),
  /** The first name in each language is the one shown in help. */
  names: localizedWords,
  roles: z.array(roleSchema).min(1),
  args: z.array(argSchema).default([]),
  help: localizedText,
  examples: localizedWords,
})

/** A vocabulary maps a canonical key (urgent, technician…) to the words people use for it. */
export const vocabularySchema = z.record(z.string().regex(/^[a-z][a-zA-Z]*$/), localizedWords)

export const catalogSchema = z
  .object({
    version: z.literal(1),
    vocabularies: z.record(z.string(), vocabularySchema).default({}),
    commands: z.array(commandSchema).min(1),
  })
  // Runs even when some fields are malformed, so one report lists every problem; hence the guards.
  .superRefine((catalog, ctx) => crossCheck(catalog, (path, message) => ctx.addIssue({ code: 'custom', path, message })), {
    when: () => true,
  })

type Report = (path: (string | number)[], message: string) => void

/** Rules that span fields: unique ids and names, known vocabularies, one free-text argument. */
function crossCheck(catalog: unknown, report: Report): void {
  if (!isRecord(catalog)) return
  const vocabularies = isRecord(catalog.vocabularies) ? catalog.vocabularies : {}
  const ids = new Set<string>()
  const names = new Map<string, string>()
  list(catalog.commands).forEach((command, index) => {
    if (!isRecord(command)) return
    const at = (...rest: (string | number)[]) => ['commands', index, ...rest]
    const id = String(command.id)
    if (ids.has(id)) report(at('id'), `duplicate command id "${id}"`)
    ids.add(id)
    for (const language of languageSchema.options) {
      list(isRecord(command.names) ? command.names[language] : undefined).forEach((name, n) => {
        if (typeof name !== 'string') return
        const key = normalize(name).lower.trim()
        const owner = names.get(key)
        if (owner !== undefined && owner !== id) report(at('names', language, n), `name "${name}" is already used by "${owner}"`)
        names.set(key, id)
      })
    }
    const argNames = new Set<string>()
    let restTexts = 0
    list(command.args).forEach((arg, a) => {
      if (!isRecord(arg)) return
      if (argNames.has(String(arg.name))) report(at('args', a, 'name'), `duplicate argument "${String(arg.name)}"`)
      argNames.add(String(arg.name))
      if (arg.type === 'text') restTexts++
      if (arg.type === 'choice' && !(typeof arg.vocabulary === 'string' && arg.vocabulary in vocabularies)) {
        report(at('args', a, 'vocabulary'), `a choice argument needs a vocabulary defined under "vocabularies" (got ${JSON.stringify(arg.vocabulary)})`)
      }
      if (arg.type === 'text' && arg.keywords !== undefined) {
        report(at('args', a, 'keywords'), 'a text argument takes the rest of the message and cannot have keywords')
      }
    })
    // Only one argument can take "the rest of the message".
    if (restTexts > 1) report(at('args'), 'at most one text argument per command')
  })
  for (const [name, vocabulary] of Object.entries(vocabularies)) {
    if (!isRecord(vocabulary)) continue
    const seen = new Map<string, string>()
    for (const [key, localized] of Object.entries(vocabulary)) {
      if (!isRecord(localized)) continue
      for (const word of [...list(localized.zh), ...list(localized.en)]) {
        if (typeof word !== 'string') continue
        const folded = normalize(word).lower
        const owner = seen.get(folded)
        if (owner !== undefined && owner !== key) report(['vocabularies', name, key], `word "${word}" also means "${owner}"`)
        seen.set(folded, key)
      }
    }
  }
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : []
}

export type Language = z.infer<typeof languageSchema>
export type CatalogRole = z.infer<typeof roleSchema>
export type ArgType = z.infer<typeof argTypeSchema>
export type ArgSpec = z.infer<typeof argSchema>
export type CommandSpec = z.infer<typeof commandSchema>
export type Vocabulary = z.infer<typeof vocabularySchema>
export type Catalog = z.infer<typeof catalogSchema>

/** Raised when the catalog cannot be used; the message lists every problem, one per line. */
export class CatalogError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`Invalid command catalog ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'CatalogError'
  }
}

/** Reads and validates the catalog; throws CatalogError listing every problem. */
export function loadCatalog(path: string = defaultCatalogPath): Catalog {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new CatalogError(path, [`cannot read the file: ${(error as Error).message}`])
  }
  return parseCatalog(text, path)
}

/** Validates catalog YAML text; `source` names it in error messages. */
export function parseCatalog(text: string, source = 'catalog.yaml'): Catalog {
  const document = parseDocument(text, { prettyErrors: true })
  if (document.errors.length > 0) {
    throw new CatalogError(
      source,
      document.errors.map((e) => `YAML syntax: ${e.message.split('\n')[0]}`),
    )
  }
  const raw: unknown = document.toJS()
  const result = catalogSchema.safeParse(raw)
  if (!result.success) {
    throw new CatalogError(source, result.error.issues.map((issue) => `${describePath(raw, issue.path)}: ${issue.message}`))
  }
  return result.data
}

export function findCommand(catalog: Catalog, id: string): CommandSpec | undefined {
  return catalog.commands.find((command) => command.id === id)
}

/** "commands[2] (assign).args[0].type", so a reader finds the spot without counting. */
function describePath(raw: unknown, path: PropertyKey[]): string {
  if (path.length === 0) return '(root)'
  let out = ''
  let node: unknown = raw
  for (const segment of path) {
    const key = String(segment)
    out += typeof segment === 'number' ? `[${key}]` : out === '' ? key : `.${key}`
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined
    if (typeof segment === 'number' && isRecord(node) && typeof node.id === 'string') out += ` (${node.id})`
    if (typeof segment === 'number' && isRecord(node) && typeof node.name === 'string') out += ` (${node.name})`
  }
  return out
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}
