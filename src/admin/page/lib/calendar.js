// Working hours and date lists, as the tenant list shows them and the tenant forms edit them.

import { trimmed } from './forms.js'
import { LABELS } from './labels.js'

export const isPlainObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value)

/** The stored hours as one range per set of weekdays; the old single {days,start,end} form too. */
function hoursRanges(hours) {
  if (Array.isArray(hours)) return hours.filter(isPlainObject)
  return isPlainObject(hours) && Array.isArray(hours.days) ? [hours] : []
}

export function businessHoursText(hours) {
  const ranges = hoursRanges(hours)
  if (!ranges.length) return '未设置'
  return ranges.map((range) => `${range.days.map((d) => LABELS.weekday[d] ?? d).join('、')} ${range.start}–${range.end}`).join('；')
}

/** Dates typed one per line or separated by commas (Chinese punctuation too). */
export function dateList(form, name) {
  return trimmed(form, name)
    .split(/[\s,，、;；]+/)
    .filter(Boolean)
}

export function fillWeekdayHours(form, hours) {
  const ranges = hoursRanges(hours)
  for (let day = 1; day <= 7; day++) {
    const range = ranges.find((candidate) => candidate.days.includes(day))
    form.elements.namedItem(`hours.${day}.on`).checked = Boolean(range)
    form.elements.namedItem(`hours.${day}.start`).value = range?.start ?? ''
    form.elements.namedItem(`hours.${day}.end`).value = range?.end ?? ''
  }
}

/** Weekdays with the same hours travel as one range, so the API sees {days:[1,2,3,4,5],…}. */
export function weekdayHoursFromForm(form) {
  const ranges = []
  for (let day = 1; day <= 7; day++) {
    if (!form.elements.namedItem(`hours.${day}.on`).checked) continue
    const start = form.elements.namedItem(`hours.${day}.start`).value
    const end = form.elements.namedItem(`hours.${day}.end`).value
    const same = ranges.find((range) => range.start === start && range.end === end)
    if (same) same.days.push(day)
    else ranges.push({ days: [day], start, end })
  }
  return ranges
}
