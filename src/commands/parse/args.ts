import type { Mention } from '../../messages/reply.ts'
import type { ArgSpec, ArgType, Catalog, CommandSpec } from '../catalog.ts'
import { dateTimeAt, findDateTime, type DateTimeContext } from './datetime.ts'
import { commandIdForName } from './names.ts'
import { normalize } from './normalize.ts'
import { oncePerObject } from './once-per-object.ts'
import { isAsciiWordChar, isHan, type ArgText } from './tokens.ts'
import type { ArgValue, InvalidReason, ParsedArgs } from './values.ts'

/** An @Name in the text that belongs to one of the message's mentions. */
export interface MentionSpan {
  start: number
  end: number
  mention: Mention
}

export interface ArgContext {
  text: ArgText
  catalog: Catalog
  command: CommandSpec
  /** Where the arguments begin: the first character after the command name. */
  argsStart: number
  mentionSpans: MentionSpan[]
  /** Mentions whose @Name could not be found in the text (the platform spelled it differently). */
  unplaced: Mention[]
  dateTime: DateTimeContext
}

type Found = { start: number; end: number; value: ArgValue }
type Refused = { value: string; reason: InvalidReason }
type Outcome = Found | Refused

function isRefused(outcome: Outcome): outcome is Refused {
  return 'reason' in outcome
}

interface Extractor {
  /** The value written right at `pos`, after one of the argument's keywords. */
  at(ctx: ArgContext, spec: ArgSpec, pos: number): Outcome | undefined
  /** The value anywhere in the text nobody has taken yet. */
  find(ctx: ArgContext, spec: ArgSpec): Outcome | undefined
}

function first(ctx: ArgContext, patterns: RegExp[], value: (m: RegExpExecArray) => ArgValue | Refused): Outcome | undefined {
  for (const pattern of patterns) {
    for (const m of ctx.text.matches(pattern)) {
      const v = value(m)
      if (typeof v === 'object' && v !== null && 'reason' in v) return v
      return { start: m.index, end: m.index + m[0].length, value: v }
    }
  }
  return undefined
}

function anchored(ctx: ArgContext, pos: number, patterns: RegExp[], value: (m: RegExpExecArray) => ArgValue | Refused): Outcome | undefined {
  for (const pattern of patterns) {
    const m = ctx.text.matchAt(pattern, pos)
    if (!m) continue
    const v = value(m)
    if (typeof v === 'object' && v !== null && 'reason' in v) return v
    return { start: pos, end: pos + m[0].length, value: v }
  }
  return undefined
}

/** The first word right after the command name, if it matches (查1023, 报修 1203 空调坏了). */
function leading(ctx: ArgContext, pattern: RegExp, value: (m: RegExpExecArray) => ArgValue): Outcome | undefined {
  const pos = ctx.text.nextWord(ctx.argsStart)
  const m = ctx.text.matchAt(pattern, pos)
  return m ? { start: pos, end: pos + m[0].length, value: value(m) } : undefined
}

// Ticket references: #1023, 1023号, No.1023, 工单1023.
const ticketPatterns = [
  /#\s*(\d{1,9})(?!\d)/,
  /(?:工单编号|工单号|工单|单号)\s*[:#]?\s*(\d{1,9})(?!\d)/,
  /(?<![a-z0-9])no\.?\s*(\d{1,9})(?!\d)/,
  /(?<![\d月.\-])(\d{1,9})\s*号(?![楼院栋幢门房室座])/,
]
const bareTicket = /(\d{1,9})(?![\d.:\-/年月日号点时元块分楼栋幢座室])/

const ticket: Extractor = {
  at: (ctx, _spec, pos) => anchored(ctx, pos, [...ticketPatterns, bareTicket], (m) => Number(m[1])),
  find(ctx) {
    const found = first(ctx, ticketPatterns, (m) => Number(m[1])) ?? leading(ctx, bareTicket, (m) => Number(m[1]))
    if (found) return found
    const hash = ctx.text.matches(/#[^\s\u0001]*/).next()
    return hash.done ? undefined : { value: ctx.text.textOf(hash.value.index, hash.value.index + hash.value[0].length), reason: 'format' }
  },
}

// "@Name" as typed: the name ends at a space or punctuation ("@张师傅，" is 张师傅).
const typedName = /@[^\s@\u0001,:;!?。、()]+/

const member: Extractor = {
  at: (ctx, spec) => member.find(ctx, spec),
  find(ctx) {
    const span = ctx.mentionSpans.find((s) => ctx.text.isFree(s.start, s.end))
    if (span) return { start: span.start, end: span.end, value: span.mention }
    const typed = ctx.text.matches(typedName).next()
    // A mention whose name the platform spelled differently pairs with the unknown @Name, if any.
    const unplaced = ctx.unplaced.shift()
    if (unplaced) return typed.done ? { start: 0, end: 0, value: unplaced } : { start: typed.value.index, end: typed.value.index + typed.value[0].length, value: unplaced }
    if (typed.done) return undefined
    // Only the name came through; who it is gets decided against the tenant's members.
    const start = typed.value.index
    const end = start + typed.value[0].length
    return { start, end, value: { memberName: ctx.text.textOf(start + 1, end) } }
  },
}

// Mainland mobiles (138 0013 8000, +86 138-0013-8000) and landlines with area code (010-12345678).
const mobile = /(?<!\d)(?:\+?86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)/
const landline = /(?<![\d-])(0(?:10|2\d)|0[3-9]\d{2})[\s-]?(\d{7,8})(?![\d-])/
const phoneValue = (m: RegExpExecArray) => (m[3] !== undefined ? `${m[1]}${m[2]}${m[3]}` : `${m[1]}-${m[2]}`)

const phone: Extractor = {
  at: (ctx, _spec, pos) => anchored(ctx, pos, [mobile, landline], phoneValue),
  find: (ctx) => first(ctx, [mobile, landline], phoneValue),
}

// Unit codes: 3栋2单元501, 3号楼2单元501室, A座1203, 3-2-501, B-1203, A1203, 1203室.
const unitPatterns = [
  /(?<![a-z0-9])([a-z]|\d{1,3})\s*(?:号楼|栋|幢|座|楼(?=\s*\d{1,2}\s*单元))\s*(?:(\d{1,2})\s*单元\s*)?(\d{2,5})\s*(?:室|号|房)?/,
  /(?<![a-z0-9\-./#])([a-z]|\d{1,3})-(\d{1,3})-(\d{2,5})(?![\d\-:])/,
  /(?<![a-z0-9\-./#])([a-z]|\d{1,3})()-(\d{3,5})(?![\d\-:])/,
  /(?<![a-z0-9])([a-z])()(\d{3,5})(?!\d)/,
  /(?<![\d\-])()()(\d{3,5})\s*(?:室|房间|房|号房)/,
]
const bareRoom = /()()(\d{2,5})(?![\d.:\-/年月日号点时元块分])/
const unitValue = (m: RegExpExecArray) =>
  [m[1], m[2], m[3]]
    .filter((part) => part)
    .map((part) => part.toUpperCase())
    .join('-')

// Public places are valid locations too (地下车库B2, 1号楼大堂, 南门岗亭): a first word that names one.
const placeWords = '地下车库|车库|地库|停车场|大堂|大厅|门厅|门口|大门|广场|花园|会所|泳池|健身房|电梯厅|电梯间|楼道|走廊|楼梯间|垃圾站|岗亭|物业中心|监控室|绿化带'
const publicPlace = new RegExp(`[a-z0-9\u4e00-\u9fff]{0,8}?(?:${placeWords})[a-z0-9\-]{0,4}(?=[\\s\u0001]|$)`)
const placeValue = (m: RegExpExecArray) => m[0]

const unit: Extractor = {
  at: (ctx, _spec, pos) => anchored(ctx, pos, [...unitPatterns, bareRoom], unitValue) ?? anchored(ctx, pos, [publicPlace], placeValue),
  find: (ctx) =>
    first(ctx, unitPatterns, unitValue) ??
    leading(ctx, /()()(\d{3,5})(?![\d.:\-/年月日号点时元块分])/, unitValue) ??
    leading(ctx, publicPlace, placeValue),
}

// Money: 30元, 30块, ¥30, rmb 30; after a keyword (材料费, fee) the number alone is enough.
const amount = '(\\d+(?:\\.\\d{1,2})?)'
const feePatterns = [
  new RegExp(`(?:¥|rmb|cny)\\s*${amount}(?![\\d.])`),
  new RegExp(`(?<![\\d.])${amount}\\s*(?:元|块钱|块|rmb|yuan|cny)(?![a-z])`),
]
const feeAfterKeyword = new RegExp(`(?:¥\\s*)?${amount}\\s*(?:元|块钱|块|rmb|yuan|cny)?(?![\\d.a-z])`)
const cents = (m: RegExpExecArray) => Math.round(Number(m[1]) * 100)

const fee: Extractor = {
  at: (ctx, _spec, pos) => anchored(ctx, pos, [feeAfterKeyword], cents),
  find: (ctx) => first(ctx, feePatterns, cents),
}

const datetime: Extractor = {
  at(ctx, spec, pos) {
    const match = dateTimeAt(ctx.text, pos, spec.tense ? { ...ctx.dateTime, tense: spec.tense } : ctx.dateTime)
    if (!match) return undefined
    if (!match.outcome.ok) return { value: ctx.text.textOf(match.start, match.end), reason: match.outcome.reason }
    return { start: match.start, end: match.end, value: match.outcome.value }
  },
  find(ctx) {
    const match = findDateTime(ctx.text, ctx.dateTime)
    return match?.outcome.ok ? { start: match.start, end: match.end, value: match.outcome.value } : undefined
  },
}

/** A vocabulary word stands apart from neighbouring Chinese: 很急 counts in 漏水很急, 高 not in 不高. */
function standsApart(lower: string, start: number, end: number, word: string): boolean {
  const before = lower[start - 1]
  const after = lower[end]
  if (/^[a-z0-9]/.test(word)) return !isAsciiWordChar(before) && !isAsciiWordChar(after)
  const apartBefore = !isHan(before)
  const apartAfter = !isHan(after)
  return [...word].length === 1 ? apartBefore && apartAfter : apartBefore || apartAfter
}

type Vocabulary = ArgContext['catalog']['vocabularies'][string]
type Keywords = NonNullable<ArgSpec['keywords']>

// Folded once per catalog part: refolding on every parse (and, for a choice, at every position
// it tried) was the largest part of what a parse allocated.
const foldedVocabulary = oncePerObject((vocabulary: Vocabulary): readonly { word: string; key: string }[] =>
  Object.entries(vocabulary)
    .flatMap(([key, words]) => [...words.zh, ...words.en].map((word) => ({ word: normalize(word).lower, key })))
    .sort((a, b) => b.word.length - a.word.length),
)
const foldedKeywords = oncePerObject((keywords: Keywords): readonly string[] =>
  [...keywords.zh, ...keywords.en].map((k) => normalize(k).lower).sort((a, b) => b.length - a.length),
)

/** A vocabulary's words folded as the text is, longest first (so 水管漏水 wins over 漏水). */
function vocabularyWords(ctx: ArgContext, spec: ArgSpec): readonly { word: string; key: string }[] {
  const vocabulary = ctx.catalog.vocabularies[spec.vocabulary ?? '']
  return vocabulary ? foldedVocabulary(vocabulary) : []
}

/** An argument's keywords folded as the text is, longest first. */
function keywordsOf(spec: ArgSpec): readonly string[] {
  return spec.keywords ? foldedKeywords(spec.keywords) : []
}

const choice: Extractor = {
  at(ctx, spec, pos) {
    for (const { word, key } of vocabularyWords(ctx, spec)) {
      const end = pos + word.length
      if (ctx.text.lower.startsWith(word, pos) && (!/[a-z]$/.test(word) || !isAsciiWordChar(ctx.text.lower[end]))) {
        return { start: pos, end, value: key }
      }
    }
    return undefined
  },
  find(ctx, spec) {
    const lower = ctx.text.lower
    for (const { word, key } of vocabularyWords(ctx, spec)) {
      for (let i = lower.indexOf(word); i !== -1; i = lower.indexOf(word, i + 1)) {
        const end = i + word.length
        if (ctx.text.isFree(i, end) && standsApart(lower, i, end, word)) return { start: i, end, value: key }
      }
    }
    return undefined
  },
}

// Ratings: 5分, 4星, 5 stars, 4/5, or a lone digit 1-5.
const ratingPatterns = [
  /(?<![\d.#])(\d{1,2})\s*(?:分|颗星|星|stars?|\/\s*5)(?![钟a-z])/,
  /([一二三四五])\s*(?:分|颗星|星)(?!钟)/,
  /(?<![\d.#:\-a-z])(\d)(?![\d.:\-点号元块时分月日年%楼栋a-z])/,
]
const ratingAfterKeyword = /(\d{1,2}|[一二三四五])\s*(?:分|颗星|星|stars?|\/\s*5)?/
const chineseDigits: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5 }

function ratingValue(m: RegExpExecArray): number | Refused {
  const n = chineseDigits[m[1]] ?? Number(m[1])
  return n >= 1 && n <= 5 ? n : { value: m[0], reason: 'out-of-range' }
}

const rating: Extractor = {
  at: (ctx, _spec, pos) => anchored(ctx, pos, [ratingAfterKeyword], ratingValue),
  find: (ctx) => first(ctx, ratingPatterns, ratingValue),
}

const codePattern = /^[a-z0-9][a-z0-9_-]{3,63}$/i

const code: Extractor = {
  at: (ctx, _spec, pos) => codeAt(ctx, pos),
  find: (ctx) => codeAt(ctx, ctx.text.nextWord(ctx.argsStart)),
}

function codeAt(ctx: ArgContext, pos: number): Outcome | undefined {
  const word = ctx.text.wordAt(pos)
  if (!word) return undefined
  const text = ctx.text.textOf(word.start, word.end)
  return codePattern.test(text) ? { ...word, value: text } : { value: text, reason: 'format' }
}

const command: Extractor = {
  at: (ctx, _spec, pos) => commandAt(ctx, pos),
  find: (ctx) => commandAt(ctx, ctx.argsStart),
}

function commandAt(ctx: ArgContext, pos: number): Outcome | undefined {
  const typed = ctx.text.remainder(pos)
  if (!typed) return undefined
  const id = commandIdForName(ctx.catalog, typed)
  return id ? { start: pos, end: ctx.text.length, value: id } : { value: typed, reason: 'unknown-command' }
}

const extractors: Record<Exclude<ArgType, 'text'>, Extractor> = {
  ticket,
  member,
  phone,
  fee,
  unit,
  datetime,
  choice,
  rating,
  code,
  command,
}

/**
 * The order values are looked for, so that one kind cannot eat another: tickets before units
 * (1023号 vs 3号楼), phones before units (138-0013-8000 looks like 3-2-501), fees and units
 * before dates (30元, 3-2-501 vs 11-25), everything before the free text.
 */
const extractionOrder: Exclude<ArgType, 'text'>[] = ['ticket', 'member', 'phone', 'fee', 'unit', 'datetime', 'choice', 'rating', 'code', 'command']

export type ArgsOutcome =
  | { ok: true; args: ParsedArgs }
  | { ok: false; argument: string; problem: 'missing' }
  | { ok: false; argument: string; problem: 'invalid'; value: string; reason: InvalidReason }

/** Pulls every argument of `command` out of the text, or says which one is missing or wrong. */
export function extractArgs(ctx: ArgContext): ArgsOutcome {
  const args: ParsedArgs = {}
  const refused = new Map<string, Refused>()
  const specs = ctx.command.args

  for (const spec of specs) {
    if (spec.type === 'text' || !spec.keywords) continue
    const outcome = afterKeyword(ctx, spec)
    if (!outcome) continue
    if (isRefused(outcome)) refused.set(spec.name, outcome)
    else args[spec.name] = outcome.value
  }

  for (const type of extractionOrder) {
    for (const spec of specs) {
      if (spec.type !== type || spec.name in args || refused.has(spec.name)) continue
      const outcome = extractors[type].find(ctx, spec)
      if (!outcome) continue
      if (isRefused(outcome)) {
        refused.set(spec.name, outcome)
        continue
      }
      ctx.text.take(outcome.start, outcome.end)
      args[spec.name] = outcome.value
    }
  }

  const textSpec = specs.find((spec) => spec.type === 'text')
  const rest = ctx.text.remainder(ctx.argsStart)
  if (textSpec && rest) args[textSpec.name] = rest

  for (const spec of specs) {
    const problem = refused.get(spec.name)
    if (problem) return { ok: false, argument: spec.name, problem: 'invalid', value: problem.value, reason: problem.reason }
    if (spec.name in args || !spec.required) continue
    // With no free text to absorb it, a leftover word is a failed attempt at this argument (接单 abc).
    if (!textSpec && rest) return { ok: false, argument: spec.name, problem: 'invalid', value: rest.split(' ')[0], reason: 'format' }
    return { ok: false, argument: spec.name, problem: 'missing' }
  }
  // Hand the values back in catalog order, whatever order they were found in.
  const ordered: ParsedArgs = {}
  for (const spec of specs) if (spec.name in args) ordered[spec.name] = args[spec.name]
  return { ok: true, args: ordered }
}

/**
 * A keyword (电话, 预约, fee…) followed by its value. A keyword followed by something else is
 * left alone as ordinary words (物业电话打不通), unless the value was clearly attempted: it starts
 * with a digit or the keyword was followed by a colon.
 */
function afterKeyword(ctx: ArgContext, spec: ArgSpec): Outcome | undefined {
  const lower = ctx.text.lower
  for (const keyword of keywordsOf(spec)) {
    for (let i = lower.indexOf(keyword, ctx.argsStart); i !== -1; i = lower.indexOf(keyword, i + 1)) {
      const end = i + keyword.length
      if (!ctx.text.isFree(i, end)) continue
      if (/^[a-z]/.test(keyword) && (isAsciiWordChar(lower[i - 1]) || /[a-z]/.test(lower[end] ?? ''))) continue
      const gap = /^[\s:=]*/.exec(lower.slice(end))?.[0] ?? ''
      const valueAt = end + gap.length
      const outcome = extractors[spec.type as Exclude<ArgType, 'text'>].at(ctx, spec, valueAt)
      if (outcome && !isRefused(outcome)) {
        ctx.text.take(i, outcome.end)
        return outcome
      }
      const word = ctx.text.wordAt(valueAt)
      const attempted = gap.includes(':') || /^[\d¥+#@]/.test(lower.slice(valueAt)) || spec.type === 'choice' || spec.type === 'rating' || spec.type === 'code'
      if (outcome || (attempted && word)) {
        ctx.text.take(i, end)
        return outcome ?? { value: ctx.text.textOf(word!.start, word!.end), reason: 'format' }
      }
    }
  }
  return undefined
}
