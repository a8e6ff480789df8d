import { readFileSync } from 'node:fs'
import { parse as parseYaml } from 'yaml'
import { describe, expect, it } from 'vitest'
import { defaultCatalogPath } from '../../src/commands/catalog.ts'
import { parseText } from './support.ts'

// Read the YAML directly so a command that fails validation still shows up here by name.
const raw = parseYaml(readFileSync(defaultCatalogPath, 'utf8')) as {
  commands: { id: string; examples: { zh: string[]; en: string[] } }[]
}

const examples = raw.commands.flatMap((command) =>
  (['zh', 'en'] as const).flatMap((language) => command.examples[language].map((example) => ({ id: command.id, language, example }))),
)

describe('every catalog example parses to its own command', () => {
  it.each(examples)('$id ($language): $example', ({ id, language, example }) => {
    const result = parseText(example)
    expect(result, JSON.stringify(result)).toMatchObject({ ok: true, command: id, language })
  })
})
