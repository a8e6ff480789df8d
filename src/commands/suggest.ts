import type { Catalog, Language } from './catalog.ts'
import { nameIndex } from './parse/names.ts'

/** Did-you-mean over every name and alias in both languages, by plain string distance. */
export interface Suggestion {
  commandId: string
  /** The name or alias that came closest, as written in the catalog. */
  name: string
  language: Language
  distance: number
}

export interface SuggestionResult {
  /** The part of the text that was taken to be the mistyped command word. */
  input: string
  suggestions: Suggestion[]
  /**
   * Whether that word stands on its own (followed by a space, digits or the end). Chinese has no
   * spaces, so 保修厨房漏水 only counts as a typo of 报修 when a slash made it a command.
   */
  standsAlone: boolean
}

const han = /\p{Script=Han}/u

/**
 * Closest command names for the text that follows the command position (folded, lower-cased).
 * Latin input is compared word against name; Chinese input by its leading characters against
 * each Chinese name, allowing one character more or less.
 */
export function suggestCommands(catalog: Catalog, typed: string, limit = 3): SuggestionResult {
  const latin = /^[a-z][a-z-]*/.exec(typed)
  if (latin) {
    const word = latin[0]
    const scored = nameIndex(catalog)
      .filter((e) => /^[a-z]/.test(e.key))
      .map((e) => ({ entry: e, distance: distance(word, e.key.replace(/ /g, '')), length: word.length }))
    return { input: word, suggestions: best(scored, limit), standsAlone: true }
  }
  const run = /^\p{Script=Han}+/u.exec(typed)?.[0]
  if (!run) return { input: typed.split(/\s/)[0] ?? '', suggestions: [], standsAlone: false }
  const scored = nameIndex(catalog)
    .filter((e) => han.test(e.key[0]))
    .map((e) => {
      let bestLength = Math.min(e.key.length, run.length)
      let bestDistance = Number.POSITIVE_INFINITY
      for (const length of [e.key.length, e.key.length - 1, e.key.length + 1]) {
        if (length < 1 || length > run.length) continue
        const d = distance(run.slice(0, length), e.key)
        if (d < bestDistance) {
          bestDistance = d
          bestLength = length
        }
      }
      return { entry: e, distance: bestDistance, length: bestLength }
    })
  const suggestions = best(scored, limit)
  const top = scored.find((s) => s.entry.commandId === suggestions[0]?.commandId && s.distance === suggestions[0]?.distance)
  const length = top?.length ?? run.length
  return { input: run.slice(0, length), suggestions, standsAlone: length === run.length }
}

interface Scored {
  entry: { name: string; key: string; commandId: string; language: Language }
  distance: number
  length: number
}

function best(scored: Scored[], limit: number): Suggestion[] {
  const byCommand = new Map<string, Suggestion>()
  for (const { entry, distance: d, length } of scored) {
    // Close enough to be a typo, and sharing at least one character: 看 is not a typo of 查.
    const allowed = Math.max(length, entry.key.length) <= 5 ? 1 : 2
    if (d > allowed || d >= Math.min(length, entry.key.length)) continue
    const known = byCommand.get(entry.commandId)
    if (!known || d < known.distance) {
      byCommand.set(entry.commandId, { commandId: entry.commandId, name: entry.name, language: entry.language, distance: d })
    }
  }
  return [...byCommand.values()].sort((a, b) => a.distance - b.distance).slice(0, limit)
}

/** Optimal string alignment distance: edits plus swaps of neighbours (repiar → repair is 1). */
export function distance(a: string, b: string): number {
  const x = [...a]
  const y = [...b]
  const d: number[][] = Array.from({ length: x.length + 1 }, (_, i) => [i, ...Array<number>(y.length).fill(0)])
  for (let j = 1; j <= y.length; j++) d[0][j] = j
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1)
    }
  }
  return d[x.length][y.length]
}
