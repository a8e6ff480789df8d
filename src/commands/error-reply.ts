import type { Reply } from '../messages/reply.ts'
import { findCommand, type Catalog, type Language } from './catalog.ts'
import { argumentHint, usage } from './help.ts'
import { messagesFor } from './messages/index.ts'
import type { ParseError, ParseFailure } from './parse/result.ts'

/**
 * What to answer when a message did not parse: did-you-mean for an unknown command, and for a
 * missing or wrong argument exactly which one, what it looks like, the usage and an example.
 * The caller may choose to stay silent on not-a-command.
 */
export function errorReply(catalog: Catalog, failure: ParseFailure): Reply {
  return replies[failure.error.kind](catalog, failure.error as never, failure.language)
}

type ReplyFor<K extends ParseError['kind']> = (catalog: Catalog, error: Extract<ParseError, { kind: K }>, language: Language) => Reply

const replies: { [K in ParseError['kind']]: ReplyFor<K> } = {
  'unknown-command'(catalog, error, language) {
    const m = messagesFor(language)
    const lines = [m.errors.unknownCommand(error.input)]
    if (error.suggestions.length === 0) {
      lines.push(m.errors.seeHelp)
      return { lines, mentions: [], buttons: [] }
    }
    lines.push(m.errors.didYouMean(error.suggestions.map((name) => `**${name}**`).join(m.listSeparator)))
    // Pressing a suggestion shows how that command is used rather than running it half-filled.
    const helpName = findCommand(catalog, 'help')?.names[language][0]
    const buttons = helpName ? error.suggestions.map((name) => ({ label: name, command: `${helpName} ${name}` })) : []
    return { lines, mentions: [], buttons }
  },
  'missing-argument'(catalog, error, language) {
    const m = messagesFor(language)
    const { command, arg } = lookup(catalog, error.command, error.argument)
    return {
      lines: [
        m.errors.missing(`**${arg.label[language]}**`),
        m.errors.hint(arg.label[language], argumentHint(catalog, arg, language)),
        m.errors.usage(usage(command, language)),
        m.errors.example(error.example),
      ],
      mentions: [],
      buttons: [],
    }
  },
  'invalid-argument'(catalog, error, language) {
    const m = messagesFor(language)
    const { command, arg } = lookup(catalog, error.command, error.argument)
    const label = arg.label[language]
    return {
      lines: [
        m.errors.invalid[error.reason](label, error.value),
        m.errors.hint(label, argumentHint(catalog, arg, language)),
        m.errors.usage(usage(command, language)),
        m.errors.example(error.example),
      ],
      mentions: [],
      buttons: [],
    }
  },
  'not-a-command'(_catalog, _error, language) {
    return { lines: [messagesFor(language).errors.notACommand], mentions: [], buttons: [] }
  },
}

function lookup(catalog: Catalog, commandId: string, argument: string) {
  const command = findCommand(catalog, commandId)
  const arg = command?.args.find((a) => a.name === argument)
  if (!command || !arg) throw new RangeError(`No argument "${argument}" of command "${commandId}" in the catalog`)
  return { command, arg }
}
