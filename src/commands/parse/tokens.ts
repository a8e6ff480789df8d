import type { NormalizedText } from './normalize.ts'

/**
 * The argument text of one message while values are being pulled out of it. Values may sit
 * anywhere and without spaces (报修3-2-501厨房漏水), so instead of splitting into words first,
 * each extractor finds its value with a pattern and takes that span; what nobody took is the
 * free text. Taken characters become GAP in the working copy, which no pattern matches and which
 * counts as a word boundary.
 */
export const GAP = '\u0001'

/** Characters that separate words: whitespace, GAP and the punctuation people type between fields. */
const separator = /[\s\u0001,.;:!?()[\]{}<>"'`|~，。、；：！？（）【】「」『』《》〈〉“”‘’…]/u
const han = /\p{Script=Han}/u

export function isHan(char: string | undefined): boolean {
  return char !== undefined && han.test(char)
}

export function isSeparator(char: string | undefined): boolean {
  return char === undefined || separator.test(char)
}

export function isAsciiWordChar(char: string | undefined): boolean {
  return char !== undefined && /[a-z0-9]/i.test(char)
}

export interface Span {
  start: number
  end: number
}

export class ArgText {
  private working: string

  constructor(readonly source: NormalizedText) {
    this.working = source.lower
  }

  /** The lower-cased text with taken spans replaced by GAP; same length as the source. */
  get lower(): string {
    return this.working
  }

  get length(): number {
    return this.working.length
  }

  take(start: number, end: number): void {
    this.working = this.working.slice(0, start) + GAP.repeat(end - start) + this.working.slice(end)
  }

  isFree(start: number, end: number): boolean {
    return !this.working.slice(start, end).includes(GAP)
  }

  /** The normalized text (case kept) of a span. */
  textOf(start: number, end: number): string {
    return this.source.text.slice(start, end)
  }

  /** The first position at or after `from` that is not whitespace or taken. */
  nextFree(from: number): number {
    let i = from
    while (i < this.working.length && (this.working[i] === GAP || /\s/.test(this.working[i]))) i++
    return i
  }

  /** The first position at or after `from` that starts a word: not a separator, not taken. */
  nextWord(from: number): number {
    let i = from
    while (i < this.working.length && isSeparator(this.working[i])) i++
    return i
  }

  /** Every match of `pattern` (made global here) that lies entirely in untaken text. */
  *matches(pattern: RegExp, from = 0): Generator<RegExpExecArray> {
    const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`)
    global.lastIndex = from
    for (let m = global.exec(this.working); m; m = global.exec(this.working)) {
      if (m[0].length === 0) {
        global.lastIndex++
        continue
      }
      if (!m[0].includes(GAP)) yield m
    }
  }

  /** The match of a pattern anchored at `at`, if any. */
  matchAt(pattern: RegExp, at: number): RegExpExecArray | undefined {
    const sticky = new RegExp(pattern.source, `${pattern.flags.replace(/[gy]/g, '')}y`)
    sticky.lastIndex = at
    const m = sticky.exec(this.working)
    return m && !m[0].includes(GAP) ? m : undefined
  }

  /** The untaken word that starts at `at` (up to the next separator). */
  wordAt(at: number): Span | undefined {
    if (at >= this.working.length || isSeparator(this.working[at])) return undefined
    let end = at
    while (end < this.working.length && !isSeparator(this.working[end])) end++
    return { start: at, end }
  }

  /**
   * The untaken text from `from` on, as the person wrote it: each untaken run trimmed of
   * separators, runs joined by one space.
   */
  remainder(from = 0): string {
    const runs: string[] = []
    let i = from
    while (i < this.working.length) {
      if (this.working[i] === GAP) {
        i++
        continue
      }
      let end = i
      while (end < this.working.length && this.working[end] !== GAP) end++
      const run = trimSeparators(this.source.originalSlice(i, end))
      if (run) runs.push(run)
      i = end
    }
    return runs.join(' ').replace(/\s+/g, ' ')
  }
}

function trimSeparators(text: string): string {
  let start = 0
  let end = text.length
  while (start < end && isSeparator(text[start].normalize('NFKC'))) start++
  while (end > start && isSeparator(text[end - 1].normalize('NFKC'))) end--
  return text.slice(start, end)
}
