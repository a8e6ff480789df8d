import type { Catalog, Language } from '../catalog.ts'
import { normalize } from './normalize.ts'
import { oncePerObject } from './once-per-object.ts'

/** Every command name and alias of a catalog, folded the way message text is folded. */
export interface NameEntry {
  /** As written in the catalog. */
  name: string
  /** Folded and lower-cased, as matched against message text. */
  key: string
  commandId: string
  language: Language
  /** Anchored pattern: spaces in a name match any run of spaces; English names end at a word end. */
  pattern: RegExp
}

/** Longest names first, so 查看 wins over 查 and "open tickets" over "open". */
export const nameIndex: (catalog: Catalog) => NameEntry[] = oncePerObject((catalog: Catalog) =>
  catalog.commands
    .flatMap((command) =>
      (['zh', 'en'] as const).flatMap((language) =>
        command.names[language].map((name) => entry(name, command.id, language)),
      ),
    )
    .sort((a, b) => b.key.length - a.key.length),
)

function entry(name: string, commandId: string, language: Language): NameEntry {
  const key = normalize(name).lower.trim().replace(/\s+/g, ' ')
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+')
  const wordEnd = /[a-z0-9]$/.test(key) ? '(?![a-z0-9])' : ''
  return { name, key, commandId, language, pattern: new RegExp(escaped + wordEnd, 'y') }
}

/** The command name written at `pos` of the folded, lower-cased text, if any. */
export function matchName(catalog: Catalog, lower: string, pos: number): { entry: NameEntry; end: number } | undefined {
  for (const candidate of nameIndex(catalog)) {
    candidate.pattern.lastIndex = pos
    const m = candidate.pattern.exec(lower)
    if (m) return { entry: candidate, end: pos + m[0].length }
  }
  return undefined
}

/** The command a name or alias (either language, any case or width) stands for. */
export function commandIdForName(catalog: Catalog, name: string): string | undefined {
  const key = normalize(name).lower.trim().replace(/^\//, '').trim().replace(/\s+/g, ' ')
  return nameIndex(catalog).find((e) => e.key === key)?.commandId
}
