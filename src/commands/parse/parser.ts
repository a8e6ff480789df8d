import type { Mention } from '../../messages/reply.ts'
import { findCommand, type Catalog, type CommandSpec, type Language } from '../catalog.ts'
import { suggestCommands } from '../suggest.ts'
import { extractArgs, type MentionSpan } from './args.ts'
import { matchName } from './names.ts'
import { normalize } from './normalize.ts'
import type { ParseResult } from './result.ts'
import { ArgText, isAsciiWordChar, isSeparator } from './tokens.ts'
import { assertTimeZone } from './zone.ts'

export interface ParseOptions {
  catalog: Catalog
  /** The members @-mentioned in the message (ChatMessage.mentions), in order. */
  mentions?: readonly Mention[]
  /** The moment the message arrived; dates and times are resolved relative to it. */
  now: Date
  /** The tenant's IANA time zone. */
  timeZone?: string
  /** Names the bot answers to; a leftover "@name" of the bot anywhere in the text is ignored. */
  botNames?: readonly string[]
}

export const defaultTimeZone = 'Asia/Shanghai'

/**
 * Reads one chat message as a command: `[/]name args…`, in Chinese or English, with or without
 * spaces, full- or half-width. Never throws for user input; throws RangeError for a bad time zone.
 */
export function parse(input: string, options: ParseOptions): ParseResult {
  const { catalog } = options
  const timeZone = options.timeZone ?? defaultTimeZone
  assertTimeZone(timeZone)
  const text = new ArgText(normalize(input))
  takeBotMentions(text, options.botNames ?? [])
  const { spans, unplaced } = placeMentions(text, options.mentions ?? [])

  let pos = skipPreamble(text, spans, 0)
  const slash = text.lower[pos] === '/'
  if (slash) pos = text.nextFree(pos + 1)
  if (pos >= text.length) return notACommand(input)

  const named = matchName(catalog, text.lower, pos)
  if (!named) {
    const guess = suggestCommands(catalog, text.lower.slice(pos, pos + 40))
    const language = languageOf(guess.input || input)
    if (slash || (guess.suggestions.length > 0 && guess.standsAlone)) {
      return {
        ok: false,
        language,
        error: { kind: 'unknown-command', input: guess.input, suggestions: guess.suggestions.map((s) => s.name) },
      }
    }
    return notACommand(input)
  }

  const { entry, end } = named
  const command = findCommand(catalog, entry.commandId) as CommandSpec
  const language = entry.language
  text.take(pos, end)
  const outcome = extractArgs({
    text,
    catalog,
    command,
    argsStart: end,
    mentionSpans: spans,
    unplaced: [...unplaced],
    dateTime: { now: options.now, timeZone },
  })
  if (outcome.ok) return { ok: true, command: command.id, language, args: outcome.args }
  const example = exampleOf(command, language)
  if (outcome.problem === 'missing') {
    return { ok: false, language, error: { kind: 'missing-argument', command: command.id, argument: outcome.argument, example } }
  }
  return {
    ok: false,
    language,
    error: { kind: 'invalid-argument', command: command.id, argument: outcome.argument, value: outcome.value, example, reason: outcome.reason },
  }
}

export function exampleOf(command: CommandSpec, language: Language): string {
  return command.examples[language][0]
}

function notACommand(input: string): ParseResult {
  return { ok: false, language: languageOf(input), error: { kind: 'not-a-command' } }
}

/** English only when the text has Latin letters and no Chinese. */
function languageOf(text: string): Language {
  if (/\p{Script=Han}/u.test(text)) return 'zh'
  return /[a-z]/i.test(text) ? 'en' : 'zh'
}

/** Removes every "@botname" the platform left in, wherever it is. */
function takeBotMentions(text: ArgText, botNames: readonly string[]): void {
  const names = botNames
    .map((name) => normalize(name.replace(/^[@＠]/, '')).lower.trim())
    .filter((name) => name.length > 0)
    .sort((a, b) => b.length - a.length)
  for (const name of names) {
    const needle = `@${name}`
    for (let i = text.lower.indexOf(needle); i !== -1; i = text.lower.indexOf(needle, i + 1)) {
      const end = i + needle.length
      if (isAsciiWordChar(name.at(-1)) && isAsciiWordChar(text.lower[end])) continue
      text.take(i, end)
    }
  }
}

/** Finds where each mentioned member's "@Name" is written; repeated mentions claim later copies. */
function placeMentions(text: ArgText, mentions: readonly Mention[]): { spans: MentionSpan[]; unplaced: Mention[] } {
  const spans: MentionSpan[] = []
  const unplaced: Mention[] = []
  const longestFirst = mentions.map((mention, order) => ({ mention, order })).sort((a, b) => b.mention.name.length - a.mention.name.length)
  const placed = new Map<number, MentionSpan>()
  for (const { mention, order } of longestFirst) {
    const needle = `@${normalize(mention.name).lower.trim()}`
    let at = -1
    for (let i = text.lower.indexOf(needle); i !== -1; i = text.lower.indexOf(needle, i + 1)) {
      const end = i + needle.length
      if (text.isFree(i, end) && !spans.some((s) => s.start < end && i < s.end)) {
        at = i
        break
      }
    }
    if (at === -1) continue
    const span = { start: at, end: at + needle.length, mention }
    spans.push(span)
    placed.set(order, span)
  }
  mentions.forEach((mention, order) => {
    if (!placed.has(order)) unplaced.push(mention)
  })
  spans.sort((a, b) => a.start - b.start)
  return { spans, unplaced }
}

/** Skips what may precede a command: spaces, punctuation and members being addressed. */
function skipPreamble(text: ArgText, spans: MentionSpan[], from: number): number {
  let pos = from
  for (;;) {
    pos = text.nextFree(pos)
    const span = spans.find((s) => s.start === pos)
    if (span) {
      pos = span.end
      continue
    }
    const char = text.lower[pos]
    if (pos < text.length && char !== '/' && char !== '?' && isSeparator(char)) {
      pos++
      continue
    }
    return pos
  }
}
