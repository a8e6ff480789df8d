import { state } from './state.js'

export function fmtTime(iso) {
  if (!iso) return '—'
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  const options = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }
  try {
    // Times are shown in the tenant's own zone: that is the clock its staff live by.
    return new Intl.DateTimeFormat('zh-CN', { ...options, timeZone: state.tenant?.timeZone }).format(date)
  } catch {
    return new Intl.DateTimeFormat('zh-CN', options).format(date)
  }
}
