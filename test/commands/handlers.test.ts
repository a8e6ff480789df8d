import { expect, it } from 'vitest'
import { loadCatalog } from '../../src/commands/catalog.ts'
import { commandRuns } from '../../src/commands/run/dispatch.ts'

it('every command in the catalog has a handler, and every handler a catalog entry', () => {
  const catalogIds = loadCatalog().commands.map((command) => command.id).sort()
  expect(Object.keys(commandRuns).sort()).toEqual(catalogIds)
})
