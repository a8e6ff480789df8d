import type { InvalidReason, When } from './values.ts'
import type { ArgText } from './tokens.ts'
import { isChineseNumeral, parseSmallNumber, smallNumberSource } from './numbers.ts'
import { addDays, compareDates, isValidDate, toInstant, wallClock, weekdayOf, type CivilDate } from './zone.ts'

/**
 * Dates and times as people type them, resolved in the tenant's zone relative to `now`.
 *
 * Decisions (documented here because people rely on them):
 * - A bare hour (3点, 3:30, "at 3") follows working hours: 1–6 mean afternoon (15:00), 7–12 as is.
 *   A period word (上午/下午/晚上…), am/pm or 24-hour writing (15:00, 09:00) overrides that.
 * - With no date, a time still ahead today means today. A time already past today moves to the
 *   next day only when the phrase is clearly a time of day (has a period word, am/pm or 24-hour
 *   writing: 上午9点, 9am, 09:00); a bare 9点 that is already past is refused as ambiguous.
 * - 周五 / friday / this friday: the coming one (today included while still ahead).
 *   下周五 / next friday: the one in next calendar week (weeks start on Monday); 下下周 the week after.
 * - 11月25日 / Nov 25 without a year: this year, or next year once the date has passed.
 * - A date alone is the whole day; a date with a period word (明天下午) is that part of the day.
 * - Anything entirely in the past is refused, except where the argument is in the past tense
 *   (收到 昨天18:00, received yesterday 6pm): 昨天/前天/yesterday name the days before today.
 * - A start followed by a length (10点 2小时, 3pm for 2 hours, 9点 一个半小时) is the range from
 *   the start for that long; a period word alone (上午) stands for its default range.
 */

export interface DateTimeContext {
  now: Date
  timeZone: string
  /** 'past' for a time already gone (收到 9:20): not yet reached today means yesterday. */
  tense?: 'ahead' | 'past'
}

export type DateTimeOutcome = { ok: true; value: When } | { ok: false; reason: InvalidReason }

export interface DateTimeMatch {
  start: number
  end: number
  outcome: DateTimeOutcome
}

type PeriodKey = 'dawn' | 'early' | 'forenoon' | 'noon' | 'afternoon' | 'dusk' | 'evening'
type Meridiem = 'am' | 'pm'

type DatePart =
  | { kind: 'relative'; days: number }
  | { kind: 'weekday'; weekday: number; week: 'coming' | 'this' | 'next' | 'after-next' }
  | { kind: 'calendar'; year?: number; month: number; day: number }

interface Clock {
  hour: number
  minute: number
  meridiem?: Meridiem
  period?: PeriodKey
  /** Written in a way that cannot be a 12-hour time: 15:00, 09:00, 0点, noon. */
  twentyFour: boolean
}

interface Phrase {
  end: number
  date?: DatePart
  period?: PeriodKey
  start?: Clock
  finish?: Clock
  /** "2小时" after a start: the range runs that long. */
  lengthMinutes?: number
}

/** The parts of the day a period word stands for, in minutes after midnight. */
const periodRanges: Record<PeriodKey, [number, number]> = {
  dawn: [0, 6 * 60],
  early: [7 * 60, 9 * 60],
  forenoon: [9 * 60, 12 * 60],
  noon: [12 * 60, 14 * 60],
  afternoon: [13 * 60, 18 * 60],
  dusk: [17 * 60, 19 * 60],
  evening: [18 * 60, 22 * 60],
}

const periodWords: Record<string, PeriodKey> = {
  凌晨: 'dawn',
  清晨: 'early',
  早上: 'early',
  早晨: 'early',
  早: 'early',
  上午: 'forenoon',
  morning: 'forenoon',
  中午: 'noon',
  午后: 'afternoon',
  下午: 'afternoon',
  afternoon: 'afternoon',
  傍晚: 'dusk',
  晚上: 'evening',
  晚间: 'evening',
  夜里: 'evening',
  夜间: 'evening',
  晚: 'evening',
  evening: 'evening',
  night: 'evening',
}

const zhWeekdays: Record<string, number> = { 一: 0, 二: 1, 三: 2, 四: 3, 五: 4, 六: 5, 日: 6, 天: 6, '1': 0, '2': 1, '3': 2, '4': 3, '5': 4, '6': 5, '7': 6 }
const enWeekdays: Record<string, number> = { mon: 0, tue: 1, wed: 2, thu: 3, fri: 4, sat: 5, sun: 6 }
const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']
const monthSource = 'january|jan|february|feb|march|mar|april|apr|may|june|jun|july|jul|august|aug|september|sept|sep|october|oct|november|nov|december|dec'
const N = smallNumberSource

const patterns = {
  zhCompound: /(今晚|明晚|昨晚|今早|明早)/y,
  zhRelative: /(大后天|后天|明天|明日|明儿|今天|今日|今儿|大前天|前天|昨天|昨日|昨儿)/y,
  enRelative: /(?:the\s+)?(day\s+after\s+tomorrow|day\s+before\s+yesterday|today|tonight|tomorrow|tmrw|tmr|yesterday)(?![a-z])/y,
  zhWeekday: /(?:(下下|下|这|本)\s*个?\s*)?(?:周|星期|礼拜)\s*([一二三四五六日天1-7])/y,
  enWeekday: /(?:(next|this|coming)\s+)?(monday|mon|tuesday|tues|tue|wednesday|weds|wed|thursday|thurs|thur|thu|friday|fri|saturday|sat|sunday|sun)\.?(?![a-z])/y,
  zhCalendar: /(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?/y,
  isoDate: /(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/y,
  // 11-25 or 11/25, but not 2-4pm, 3-5点, 1-2天 (a range or a count).
  shortDate: /(\d{1,2})[-/](\d{1,2})(?![\d\-/:]|\s*(?:a\.?m|p\.?m|点|时|天|个|次|年|月|周|小时|分|人|层|楼|元|块|号|栋))/y,
  enMonthDay: new RegExp(`(${monthSource})\\.?\\s*(\\d{1,2})(?:st|nd|rd|th)?(?![\\d:a-z])(?:,?\\s*(20\\d{2})(?![\\d:]))?`, 'y'),
  enDayMonth: new RegExp(`(\\d{1,2})(?:st|nd|rd|th)?\\s*(${monthSource})\\.?(?![a-z])(?:,?\\s*(20\\d{2})(?![\\d:]))?`, 'y'),
  zhPeriod: /(凌晨|清晨|早上|早晨|上午|中午|午后|下午|傍晚|晚上|晚间|夜里|夜间|早|晚)/y,
  enPeriod: /(?:this\s+|in\s+the\s+)?(morning|afternoon|evening|night)(?![a-z])/y,
  // The minutes may not be a length that follows (10点 2小时, 9点 一个半小时).
  zhClock: new RegExp(`(${N})\\s*(?:点钟|点|时)(?:\\s*(半(?!\\s*(?:小时|钟头))|一刻|三刻|整|(${N})(?!\\s*(?:[点时个]|小时|钟头))\\s*分?))?`, 'y'),
  colonClock: /(\d{1,2}):(\d{2})(?!\d)(?:\s*(a\.?m\.?|p\.?m\.?)(?![a-z]))?/y,
  enClock: /(\d{1,2})(?:[:.](\d{2}))?\s*(a\.?m\.?|p\.?m\.?)(?![a-z])/y,
  noon: /(noon|midday)(?![a-z])/y,
  bareHour: /(\d{1,2})(?![\d:.])/y,
  rangeJoin: /\s*(?:-|~|到|至|to(?![a-z])|until|till)\s*/y,
  dateTimeJoin: /\s*(?:,\s*)?(?:(at)\s+|的\s*)?/y,
  leadingAt: /(?:at|on)\s+/y,
  trailingDateJoin: /\s*(?:,\s*)?(?:on\s+)?/y,
  spaces: /\s*/y,
  length: new RegExp(`\\s*(?:共|持续|for\\s+)?\\s*(${N}|半)\\s*个?\\s*(半)?\\s*(?:小时|钟头|hours?|hrs?|h)(?![a-z])`, 'y'),
}

function at(pattern: RegExp, s: string, pos: number): RegExpExecArray | undefined {
  pattern.lastIndex = pos
  return pattern.exec(s) ?? undefined
}

function skip(pattern: RegExp, s: string, pos: number): number {
  const m = at(pattern, s, pos)
  return m ? pos + m[0].length : pos
}

function parseDate(s: string, pos: number): { date: DatePart; period?: PeriodKey; end: number } | undefined {
  let m = at(patterns.zhCompound, s, pos)
  if (m) {
    const days = { 今: 0, 明: 1, 昨: -1 }[m[1][0]] ?? 0
    return { date: { kind: 'relative', days }, period: m[1].endsWith('晚') ? 'evening' : 'early', end: pos + m[0].length }
  }
  m = at(patterns.zhRelative, s, pos)
  if (m) {
    const days = { 今天: 0, 今日: 0, 今儿: 0, 明天: 1, 明日: 1, 明儿: 1, 后天: 2, 大后天: 3, 昨天: -1, 昨日: -1, 昨儿: -1, 前天: -2, 大前天: -3 }[m[1]] ?? 0
    return { date: { kind: 'relative', days }, end: pos + m[0].length }
  }
  m = at(patterns.enRelative, s, pos)
  if (m) {
    const word = m[1]
    const days = word.startsWith('day') ? (word.endsWith('yesterday') ? -2 : 2) : word === 'yesterday' ? -1 : word.startsWith('to') && !word.startsWith('tom') ? 0 : 1
    const period = word === 'tonight' ? 'evening' : undefined
    return { date: { kind: 'relative', days }, period, end: pos + m[0].length }
  }
  // 上周五 and 每周五 are not appointments.
  if (!'上每'.includes(s[pos - 1] ?? ' ')) {
    m = at(patterns.zhWeekday, s, pos)
    if (m) {
      const week = m[1] === '下下' ? 'after-next' : m[1] === '下' ? 'next' : m[1] ? 'this' : 'coming'
      return { date: { kind: 'weekday', weekday: zhWeekdays[m[2]], week }, end: pos + m[0].length }
    }
  }
  m = at(patterns.enWeekday, s, pos)
  if (m) {
    const week = m[1] === 'next' ? 'next' : 'coming'
    return { date: { kind: 'weekday', weekday: enWeekdays[m[2].slice(0, 3)], week }, end: pos + m[0].length }
  }
  m = at(patterns.zhCalendar, s, pos) ?? at(patterns.isoDate, s, pos)
  if (m) return { date: calendar(m[1], m[2], m[3]), end: pos + m[0].length }
  m = at(patterns.shortDate, s, pos)
  if (m) return { date: calendar(undefined, m[1], m[2]), end: pos + m[0].length }
  m = at(patterns.enMonthDay, s, pos)
  if (m) return { date: calendar(m[3], String(monthIndex(m[1])), m[2]), end: pos + m[0].length }
  m = at(patterns.enDayMonth, s, pos)
  if (m) return { date: calendar(m[3], String(monthIndex(m[2])), m[1]), end: pos + m[0].length }
  return undefined
}

function calendar(year: string | undefined, month: string, day: string): DatePart {
  return { kind: 'calendar', year: year ? Number(year) : undefined, month: Number(month), day: Number(day) }
}

function monthIndex(name: string): number {
  return months.indexOf(name.slice(0, 3)) + 1
}

function parsePeriod(s: string, pos: number): { period: PeriodKey; single: boolean; end: number } | undefined {
  const m = at(patterns.zhPeriod, s, pos) ?? at(patterns.enPeriod, s, pos)
  if (!m) return undefined
  return { period: periodWords[m[1]], single: m[1].length === 1, end: pos + m[0].length }
}

/** A clock time at `pos`. Chinese-numeral hours (三点) only when `numerals`: 一点 also means "a bit". */
function parseClock(s: string, pos: number, numerals: boolean): { clock: Clock; end: number } | undefined {
  let m = at(patterns.zhClock, s, pos)
  if (m && (numerals || !isChineseNumeral(m[1]))) {
    const hour = parseSmallNumber(m[1])
    const minute = minuteOf(m[2], m[3])
    if (hour === undefined || minute === undefined) return undefined
    return { clock: { hour, minute, twentyFour: hour === 0 || hour >= 13 }, end: pos + m[0].length }
  }
  m = at(patterns.colonClock, s, pos)
  if (m) {
    const hour = Number(m[1])
    return {
      clock: { hour, minute: Number(m[2]), meridiem: meridiemOf(m[3]), twentyFour: m[1].startsWith('0') || hour === 0 || hour >= 13 },
      end: pos + m[0].length,
    }
  }
  m = at(patterns.enClock, s, pos)
  if (m) {
    return {
      clock: { hour: Number(m[1]), minute: m[2] ? Number(m[2]) : 0, meridiem: meridiemOf(m[3]), twentyFour: false },
      end: pos + m[0].length,
    }
  }
  m = at(patterns.noon, s, pos)
  if (m) return { clock: { hour: 12, minute: 0, twentyFour: true }, end: pos + m[0].length }
  return undefined
}

function minuteOf(word: string | undefined, number: string | undefined): number | undefined {
  if (word === undefined || word === '整') return 0
  if (word === '半') return 30
  if (word === '一刻') return 15
  if (word === '三刻') return 45
  return number === undefined ? undefined : parseSmallNumber(number)
}

function meridiemOf(text: string | undefined): Meridiem | undefined {
  if (!text) return undefined
  return text.startsWith('a') ? 'am' : 'pm'
}

interface TimePart {
  end: number
  period?: PeriodKey
  start?: Clock
  finish?: Clock
}

/**
 * period? clock (range clock)?, or a bare hour opening a range (2-4pm, 3到5点), or a period alone.
 * `strong`: a date or keyword came first, so Chinese numerals and lone periods are safe to read.
 */
function parseTime(s: string, pos: number, strong: boolean, allowBare: boolean, preset?: PeriodKey): TimePart | undefined {
  const periodMatch = parsePeriod(s, pos)
  const period = periodMatch?.period ?? preset
  const clockAt = periodMatch ? skip(patterns.spaces, s, periodMatch.end) : pos
  const numerals = strong || period !== undefined
  const first = parseClock(s, clockAt, numerals)
  const bare = first ? undefined : at(patterns.bareHour, s, clockAt)
  const startFrom = first?.end ?? (bare ? clockAt + bare[0].length : undefined)
  if (startFrom !== undefined) {
    const join = at(patterns.rangeJoin, s, startFrom)
    if (join) {
      const finishAt = startFrom + join[0].length
      const finishPeriod = parsePeriod(s, finishAt)
      const finishClockAt = finishPeriod ? skip(patterns.spaces, s, finishPeriod.end) : finishAt
      const finish = parseClock(s, finishClockAt, numerals)
      const finishBare = finish || !first ? undefined : at(patterns.bareHour, s, finishClockAt)
      if (finish || finishBare) {
        const startClock = first?.clock ?? { hour: Number(bare?.[1]), minute: 0, twentyFour: false }
        const finishClock = finish?.clock ?? { hour: Number(finishBare?.[1]), minute: 0, twentyFour: false }
        if (period && !startClock.meridiem) startClock.period = period
        if (finishPeriod) finishClock.period = finishPeriod.period
        const end = finish?.end ?? finishClockAt + (finishBare?.[0].length ?? 0)
        return { end, period, ...inheritRange(startClock, finishClock) }
      }
    }
    if (first) {
      if (period && !first.clock.meridiem) first.clock.period = period
      return { end: first.end, period, start: first.clock }
    }
    if (bare && (allowBare || (strong && periodMatch))) {
      const clock: Clock = { hour: Number(bare[1]), minute: 0, twentyFour: false, period }
      return { end: clockAt + bare[0].length, period, start: clock }
    }
  }
  if (periodMatch && !periodMatch.single) return { end: periodMatch.end, period: periodMatch.period }
  return undefined
}

/** A range's ends share what only one of them says: 2-4pm, 下午3点到5点. */
function inheritRange(start: Clock, finish: Clock): { start: Clock; finish: Clock } {
  const startSaid = start.meridiem ?? start.period
  const finishSaid = finish.meridiem ?? finish.period
  if (!startSaid && finishSaid) {
    const candidate = { ...start, meridiem: finish.meridiem, period: finish.period }
    const a = minutesOf(candidate)
    const b = minutesOf(finish)
    if (a !== undefined && b !== undefined && a < b) return { start: candidate, finish }
    return { start, finish }
  }
  if (startSaid && !finishSaid && !finish.twentyFour) {
    const candidate = { ...finish, meridiem: start.meridiem, period: start.period }
    const a = minutesOf(start)
    const b = minutesOf(candidate)
    if (a !== undefined && b !== undefined && b <= a && candidate.hour < 12) return { start, finish: { ...candidate, meridiem: 'pm', period: undefined } }
    return { start, finish: candidate }
  }
  return { start, finish }
}

/** Minutes after midnight (may exceed 1440 for 晚上12点 or 夜里1点), or undefined if impossible. */
function minutesOf(clock: Clock): number | undefined {
  const { minute } = clock
  let hour = clock.hour
  if (minute > 59 || hour > 24) return undefined
  if (hour >= 13 || (clock.twentyFour && !clock.meridiem)) {
    if (clock.meridiem === 'am' && hour > 12) return undefined
  } else if (clock.meridiem) {
    if (hour === 12) hour = clock.meridiem === 'am' ? 0 : 12
    else if (clock.meridiem === 'pm') hour += 12
  } else if (clock.period) {
    switch (clock.period) {
      case 'dawn':
        if (hour === 12) hour = 0
        break
      case 'early':
      case 'forenoon':
        break
      case 'noon':
        if (hour <= 5) hour += 12
        break
      case 'afternoon':
        if (hour < 12) hour += 12
        break
      case 'dusk':
      case 'evening':
        // 晚上12点 is midnight; 夜里1点 is the small hours after it.
        if (hour === 12) hour = 24
        else if (hour < 5) hour += 24
        else hour += 12
        break
    }
  } else if (hour >= 1 && hour <= 6) {
    // Working-hours convention: a bare 3点 in a service group means 15:00.
    hour += 12
  }
  const total = hour * 60 + minute
  return total > 28 * 60 ? undefined : total
}

/** Said clearly enough that a time already past today must mean the next day. */
function isClearTimeOfDay(phrase: Phrase): boolean {
  const clock = phrase.start
  if (!clock) return true
  return clock.meridiem !== undefined || clock.period !== undefined || clock.twentyFour || clock.hour >= 13
}

/** A length after a start time (2小时, 一个半小时, 半小时, 2 hours), in minutes. */
function parseLength(s: string, pos: number): { minutes: number; end: number } | undefined {
  const m = at(patterns.length, s, pos)
  if (!m) return undefined
  const whole = m[1] === '半' ? 0.5 : parseSmallNumber(m[1])
  if (whole === undefined) return undefined
  const minutes = Math.round((whole + (m[2] ? 0.5 : 0)) * 60)
  return minutes > 0 ? { minutes, end: pos + m[0].length } : undefined
}

/** Adds a trailing length to a phrase that has a start but no end. */
function withLength(s: string, phrase: Phrase): Phrase {
  if (!phrase.start || phrase.finish) return phrase
  const length = parseLength(s, phrase.end)
  return length ? { ...phrase, end: length.end, lengthMinutes: length.minutes } : phrase
}

function parsePhrase(s: string, pos: number, anchored: boolean): Phrase | undefined {
  const phrase = parseBarePhrase(s, pos, anchored)
  return phrase && withLength(s, phrase)
}

function parseBarePhrase(s: string, pos: number, anchored: boolean): Phrase | undefined {
  let p = skip(patterns.leadingAt, s, pos)
  const dated = parseDate(s, p)
  let date = dated?.date
  let allowBare = anchored
  if (dated) {
    p = dated.end
    const join = at(patterns.dateTimeJoin, s, p)
    if (join?.[1]) allowBare = true
    const time = parseTime(s, p + (join?.[0].length ?? 0), true, allowBare, dated.period)
    if (time) return { end: time.end, date, period: time.period ?? dated.period, start: time.start, finish: time.finish }
    return { end: p, date, period: dated.period }
  }
  const time = parseTime(s, p, anchored, allowBare)
  if (!time) return undefined
  if (!time.start && !anchored) return undefined
  let end = time.end
  const trailing = parseDate(s, skip(patterns.trailingDateJoin, s, end))
  if (trailing) {
    date = trailing.date
    end = trailing.end
  }
  return { end, date, period: time.period, start: time.start, finish: time.finish }
}

function resolveDay(date: DatePart, today: CivilDate): CivilDate | undefined {
  switch (date.kind) {
    case 'relative':
      return addDays(today, date.days)
    case 'weekday': {
      const todayIndex = weekdayOf(today)
      if (date.week === 'coming') return addDays(today, (date.weekday - todayIndex + 7) % 7)
      const monday = addDays(today, -todayIndex)
      const weeks = date.week === 'this' ? 0 : date.week === 'next' ? 1 : 2
      return addDays(monday, weeks * 7 + date.weekday)
    }
    case 'calendar': {
      let year = date.year ?? today.year
      if (!isValidDate(year, date.month, date.day) && date.year === undefined) year++
      if (!isValidDate(year, date.month, date.day)) return undefined
      let day = { year, month: date.month, day: date.day }
      if (date.year === undefined && compareDates(day, today) < 0) {
        if (!isValidDate(year + 1, date.month, date.day)) return undefined
        day = { year: year + 1, month: date.month, day: date.day }
      }
      return day
    }
  }
}

function resolve(phrase: Phrase, ctx: DateTimeContext): DateTimeOutcome {
  const { now, timeZone } = ctx
  const today = wallClock(now, timeZone).date
  let day = phrase.date ? resolveDay(phrase.date, today) : today
  if (!day) return { ok: false, reason: 'format' }

  let span: [number, number | undefined]
  let precision: When['precision']
  if (phrase.start) {
    const a = minutesOf(phrase.start)
    const b = phrase.finish ? minutesOf(phrase.finish) : a !== undefined && phrase.lengthMinutes ? a + phrase.lengthMinutes : undefined
    if (a === undefined || (phrase.finish && b === undefined)) return { ok: false, reason: 'format' }
    if (b !== undefined && b <= a) return { ok: false, reason: 'range' }
    span = [a, b]
    precision = 'time'
  } else if (phrase.period) {
    span = periodRanges[phrase.period]
    precision = 'period'
  } else {
    span = [0, 24 * 60]
    precision = 'day'
  }

  const build = (on: CivilDate): When => {
    const start = toInstant(on, span[0], timeZone).toISOString()
    const end = span[1] === undefined ? undefined : toInstant(on, span[1], timeZone).toISOString()
    return end === undefined ? { start, precision } : { start, end, precision }
  }
  const isOver = (when: When) => new Date(when.end ?? when.start).getTime() <= now.getTime()

  if (ctx.tense === 'past') {
    // A minute of skew between a typed time and the server is not the future.
    const isAhead = (at: When) => new Date(at.start).getTime() > now.getTime() + 60_000
    let past = build(day)
    if (isAhead(past) && !phrase.date) past = build(addDays(day, -1))
    return isAhead(past) ? { ok: false, reason: 'future' } : { ok: true, value: past }
  }

  let when = build(day)
  if (isOver(when)) {
    if (!phrase.date) {
      if (!isClearTimeOfDay(phrase)) return { ok: false, reason: 'ambiguous-time' }
      day = addDays(day, 1)
    } else if (phrase.date.kind === 'weekday' && phrase.date.week === 'coming' && compareDates(day, today) === 0) {
      day = addDays(day, 7)
    }
    when = build(day)
    if (isOver(when)) return { ok: false, reason: 'past' }
  }
  return { ok: true, value: when }
}

/** A date/time phrase starting exactly at `pos` (after a keyword such as 预约); lone periods allowed. */
export function dateTimeAt(text: ArgText, pos: number, ctx: DateTimeContext): DateTimeMatch | undefined {
  const phrase = parsePhrase(text.lower, pos, true)
  if (!phrase) return undefined
  return { start: pos, end: phrase.end, outcome: resolve(phrase, ctx) }
}

/**
 * The first usable date/time phrase anywhere in the free text. It needs a date or a clock time,
 * and phrases that resolve to the past are left alone: "从今天早上开始漏水" describes the problem.
 */
export function findDateTime(text: ArgText, ctx: DateTimeContext): DateTimeMatch | undefined {
  const s = text.lower
  for (let i = 0; i < s.length; i++) {
    if (!startsWord(s, i) || describesThePast(s, i)) continue
    const phrase = parsePhrase(s, i, false)
    if (!phrase || !text.isFree(i, phrase.end)) continue
    const outcome = resolve(phrase, ctx)
    if (outcome.ok) return { start: i, end: phrase.end, outcome }
  }
  return undefined
}

function startsWord(s: string, i: number): boolean {
  const char = s[i]
  if (/\s|\u0001/.test(char)) return false
  if (/[a-z0-9]/.test(char)) return !/[a-z0-9:.\-/#]/.test(s[i - 1] ?? ' ')
  return true
}

function describesThePast(s: string, i: number): boolean {
  const before = s.slice(Math.max(0, i - 2), i)
  return ['昨天', '前天', '昨日', '昨晚', '之前', '以前'].includes(before) || s[i - 1] === '从'
}
