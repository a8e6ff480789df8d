/**
 * Text as people type it in Chinese chat apps, folded to one form for matching: full-width ASCII
 * (＃１０２３, ＡＢ, ，：！？) becomes half-width through NFKC, dash look-alikes become "-".
 * Every normalized character remembers where it came from, so free text can be handed back
 * exactly as the person wrote it.
 */
export interface NormalizedText {
  /** The folded text, case kept. */
  readonly text: string
  /** The folded text lower-cased, same length as `text`: what patterns run on. */
  readonly lower: string
  /** The original text, untouched. */
  readonly original: string
  /** The original text behind text[start, end). */
  originalSlice(start: number, end: number): string
}

// Dashes and tildes that NFKC leaves alone but people use in ranges and unit codes.
const extraFolds = new Map<string, string>([
  ['\u2010', '-'],
  ['\u2011', '-'],
  ['\u2012', '-'],
  ['\u2013', '-'],
  ['\u2014', '-'],
  ['\u2015', '-'],
  ['\u2212', '-'],
  ['\u301c', '~'],
])

function fold(char: string): string {
  return extraFolds.get(char) ?? char.normalize('NFKC')
}

export function normalize(original: string): NormalizedText {
  let text = ''
  let lower = ''
  // origins[i] is the index in `original` where text[i] came from; one extra entry marks the end.
  const origins: number[] = []
  let index = 0
  for (const char of original) {
    const folded = fold(char)
    for (const unit of folded) {
      const lowered = unit.toLowerCase()
      // A few characters change length when lower-cased; keeping them preserves the offsets.
      const kept = lowered.length === unit.length ? lowered : unit
      for (let k = 0; k < unit.length; k++) origins.push(index)
      text += unit
      lower += kept
    }
    index += char.length
  }
  origins.push(original.length)
  return {
    text,
    lower,
    original,
    originalSlice(start: number, end: number): string {
      if (end <= start) return ''
      return original.slice(origins[start], nextOrigin(origins, end))
    },
  }
}

/** The original index just after the character that ends at normalized index `end`. */
function nextOrigin(origins: number[], end: number): number {
  // Characters produced by one original character share an origin; skip to the next original one.
  let i = end
  while (i < origins.length - 1 && origins[i] === origins[end - 1]) i++
  return origins[i]
}
