/** Numbers as people write them in times and ratings: "15", "三", "两", "十一", "二十五". */
const digits: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
}

/** Regex source for one number from 0 to 99 in Arabic or Chinese numerals. */
export const smallNumberSource = '(?:\\d{1,2}|[零〇一二两三四五六七八九十]{1,3})'

/** Parses a number from 0 to 99; undefined for anything else. */
export function parseSmallNumber(text: string): number | undefined {
  if (/^\d{1,2}$/.test(text)) return Number(text)
  const ten = text.indexOf('十')
  if (ten === -1) return text.length === 1 ? digits[text] : undefined
  if (text.indexOf('十', ten + 1) !== -1) return undefined
  const tensText = text.slice(0, ten)
  const onesText = text.slice(ten + 1)
  const tens = tensText === '' ? 1 : digits[tensText]
  const ones = onesText === '' ? 0 : digits[onesText]
  if (tens === undefined || ones === undefined || tensText.length > 1 || onesText.length > 1) return undefined
  return tens * 10 + ones
}

export function isChineseNumeral(text: string): boolean {
  return /^[零〇一二两三四五六七八九十]+$/.test(text)
}
