import type { Messages } from './zh-CN.ts'

/** English wording, used when the command word was typed in English. */
export const enUS: Messages = {
  listSeparator: ', ',
  quote: (text: string) => `"${text}"`,
  usage: {
    required: (label: string) => `<${label}>`,
    optional: (label: string) => `[${label}]`,
  },
  help: {
    heading: 'Commands you can use',
    line: (name: string, help: string) => `**${name}** — ${help}`,
    footer: (example: string) => `Send "${example}" to see how a command is used.`,
    none: 'You have no commands available yet. Please ask an admin to give you a role.',
  },
  command: {
    heading: (name: string, help: string) => `${name}: ${help}`,
    usage: (usage: string) => `Usage: ${usage}`,
    aliases: (names: string) => `Also: ${names}`,
    arguments: 'Arguments:',
    argument: (label: string, hint: string, optional: boolean) => `• ${label}${optional ? ' (optional)' : ''}: ${hint}`,
    examples: 'Examples:',
    example: (text: string) => `• ${text}`,
  },
  errors: {
    unknownCommand: (input: string) => `There is no command "${input}".`,
    didYouMean: (names: string) => `Did you mean: ${names}?`,
    seeHelp: 'Send "help" to see the commands you can use.',
    notACommand: 'Sorry, I did not understand that. Send "help" to see the commands you can use.',
    missing: (label: string) => `The ${label} is missing.`,
    invalid: {
      format: (label: string, value: string) => `"${value}" is not a valid ${label}.`,
      past: (label: string, value: string) => `The ${label} "${value}" is already over; please pick a later time.`,
      'ambiguous-time': (_label: string, value: string) => `"${value}" has already passed today; please add a day or am/pm, e.g. "tomorrow 9am".`,
      future: (label: string, value: string) => `The ${label} "${value}" has not come yet; please give a time already past, e.g. "received 9:20".`,
      range: (_label: string, value: string) => `"${value}" ends before it starts.`,
      'out-of-range': (label: string, value: string) => `The ${label} "${value}" is out of range.`,
      'unknown-command': (_label: string, value: string) => `There is no command "${value}".`,
    },
    hint: (label: string, hint: string) => `${label}: ${hint}`,
    usage: (usage: string) => `Usage: ${usage}`,
    example: (text: string) => `Example: ${text}`,
  },
  typeHints: {
    ticket: 'ticket number, e.g. #1023',
    unit: 'e.g. 3-2-501, A-1203',
    text: 'free text',
    choice: (words: string) => `one of ${words}`,
    phone: 'mobile like 13800138000 or landline like 010-12345678',
    datetime: 'e.g. tomorrow 3pm, fri 2-4pm, Nov 25 10am',
    member: 'pick a group member with @',
    fee: 'e.g. fee 30',
    rating: '1 to 5',
    code: 'the binding code from the admin console, e.g. FD-7K2Q9X',
    command: 'a command name, e.g. repair',
  },
}
