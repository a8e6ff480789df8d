import { describe, expect, it } from 'vitest'
import { CatalogError, loadCatalog, parseCatalog } from '../../src/commands/catalog.ts'
import { catalog } from './support.ts'

const brief = [
  'help',
  'repair-create',
  'assign',
  'claim',
  'arrive',
  'complete',
  'cancel',
  'reopen',
  'note',
  'show',
  'list-open',
  'my-tickets',
  'followup-record',
  'grant-role',
  'bind-group',
]

function problemsOf(yaml: string): string {
  try {
    parseCatalog(yaml, 'test.yaml')
  } catch (error) {
    expect(error).toBeInstanceOf(CatalogError)
    return (error as Error).message
  }
  throw new Error('expected the catalog to be rejected')
}

const valid = `
version: 1
vocabularies:
  priority:
    urgent: { zh: [紧急], en: [urgent] }
commands:
  - id: repair-create
    names: { zh: [报修], en: [repair] }
    roles: [customer]
    args:
      - { name: unit, type: unit, label: { zh: 房号, en: unit } }
      - { name: priority, type: choice, vocabulary: priority, required: false, label: { zh: 紧急程度, en: priority } }
    help: { zh: 登记报修, en: Record a repair }
    examples: { zh: [报修 3-2-501 漏水], en: [repair 3-2-501 leak] }
`

describe('command catalog', () => {
  it('loads the shipped catalog with every command the issue asks for', () => {
    // Other jobs (complaints, follow-ups, bookings, clocks) add their own commands after these.
    expect(catalog.commands.map((c) => c.id)).toEqual(expect.arrayContaining(brief))
  })

  it('accepts a minimal valid catalog and fills defaults', () => {
    const parsed = parseCatalog(valid)
    expect(parsed.commands[0].args[0].required).toBe(true)
  })

  it('lists every problem of an invalid catalog, each with where it is', () => {
    const broken = valid
      .replace('roles: [customer]', 'roles: [janitor]')
      .replace('vocabulary: priority', 'vocabulary: urgency')
      .replace('examples: { zh: [报修 3-2-501 漏水], en: [repair 3-2-501 leak] }', 'examples: { zh: [] }')
      .concat(`
  - id: repair-again
    names: { zh: [报修], en: [fix] }
    roles: [admin]
    help: { zh: 再报修, en: Again }
    examples: { zh: [报修], en: [fix] }
`)
    const message = problemsOf(broken)
    expect(message).toContain('Invalid command catalog test.yaml')
    expect(message).toContain('commands[0] (repair-create).roles[0]')
    expect(message).toContain('commands[0] (repair-create).examples.zh')
    expect(message).toContain('commands[0] (repair-create).examples.en')
    expect(message).toContain('commands[0] (repair-create).args[1] (priority).vocabulary')
    expect(message).toContain('name "报修" is already used by "repair-create"')
  })

  it('rejects two free-text arguments and unknown argument types', () => {
    const message = problemsOf(
      valid.replace(
        "- { name: unit, type: unit, label: { zh: 房号, en: unit } }",
        "- { name: a, type: text, label: { zh: 甲, en: a } }\n      - { name: b, type: text, label: { zh: 乙, en: b } }\n      - { name: c, type: colour, label: { zh: 丙, en: c } }",
      ),
    )
    expect(message).toContain('at most one text argument per command')
    expect(message).toContain('args[2] (c).type')
  })

  it('reports YAML syntax errors', () => {
    expect(problemsOf('version: 1\ncommands: [\n')).toContain('YAML syntax')
  })

  it('reports a missing file', () => {
    expect(() => loadCatalog('/nonexistent/catalog.yaml')).toThrow(/cannot read the file/)
  })
})
