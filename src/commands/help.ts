import type { Reply } from '../messages/reply.ts'
import { findCommand, type ArgSpec, type Catalog, type CatalogRole, type CommandSpec, type Language } from './catalog.ts'
import { messagesFor } from './messages/index.ts'

/** Help texts, all derived from the catalog: the list for a caller, and one command's usage. */

/** "报修 <房号> <报修内容> [紧急程度] [联系电话] [预约时间]" */
export function usage(command: CommandSpec, language: Language): string {
  const m = messagesFor(language)
  const args = command.args.map((arg) => (arg.required ? m.usage.required : m.usage.optional)(arg.label[language]))
  return [command.names[language][0], ...args].join(' ')
}

/** What a value of this argument looks like, for help and error messages. */
export function argumentHint(catalog: Catalog, arg: ArgSpec, language: Language): string {
  const m = messagesFor(language)
  if (arg.type !== 'choice') return m.typeHints[arg.type]
  const vocabulary = catalog.vocabularies[arg.vocabulary ?? ''] ?? {}
  const words = Object.values(vocabulary).map((words) => words[language][0])
  return m.typeHints.choice(words.join(' / '))
}

/**
 * The commands the caller may use (any of their roles allows it). An empty role list is treated
 * as a customer: everyone in a served group is at least that.
 */
export function help(catalog: Catalog, roles: readonly CatalogRole[], language: Language): Reply {
  const m = messagesFor(language)
  const effective = roles.length > 0 ? roles : (['customer'] as const)
  const allowed = catalog.commands.filter((command) => command.roles.some((role) => effective.includes(role)))
  if (allowed.length === 0) return { lines: [m.help.none], mentions: [], buttons: [] }
  const lines = allowed.map((command) => m.help.line(command.names[language][0], command.help[language]))
  const helpCommand = findCommand(catalog, 'help')
  const sample = allowed.find((command) => command.id !== 'help')
  if (helpCommand && sample) lines.push(m.help.footer(`${helpCommand.names[language][0]} ${sample.names[language][0]}`))
  return { heading: m.help.heading, lines, mentions: [], buttons: [] }
}

/** One command: usage, other names, what each argument looks like, and examples. */
export function commandHelp(catalog: Catalog, commandId: string, language: Language): Reply {
  const m = messagesFor(language)
  const command = findCommand(catalog, commandId)
  if (!command) throw new RangeError(`No command "${commandId}" in the catalog`)
  const [name, ...aliases] = command.names[language]
  const lines = [m.command.usage(usage(command, language))]
  if (aliases.length > 0) lines.push(m.command.aliases(aliases.join(m.listSeparator)))
  if (command.args.length > 0) {
    lines.push(m.command.arguments)
    for (const arg of command.args) lines.push(m.command.argument(arg.label[language], argumentHint(catalog, arg, language), !arg.required))
  }
  lines.push(m.command.examples, ...command.examples[language].map(m.command.example))
  return { heading: m.command.heading(name, command.help[language]), lines, mentions: [], buttons: [] }
}

/** The reply to a parsed help command: one command's help when a topic was given, else the list. */
export function helpReply(catalog: Catalog, roles: readonly CatalogRole[], language: Language, topic?: string): Reply {
  return topic ? commandHelp(catalog, topic, language) : help(catalog, roles, language)
}
