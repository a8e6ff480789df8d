import type { Locale } from '../i18n.ts'

/** Timeline entries by event type; an unknown type shows as itself rather than disappearing. */
const names: Record<Locale, Record<string, string>> = {
  'zh-CN': {
    created: '创建', repeat_flagged: '重复报修', assigned: '派单', reassigned: '改派', claimed: '接单', arrived: '到场', completed: '完成',
    cancelled: '取消', reopened: '重开', note: '备注', category_changed: '改类别', reminder_sent: '提醒', followup_recorded: '回访',
    followup_overdue: '回访逾期', followup_corrected: '更正回访', type_changed: '定性', routed: '转交', handled: '处理', answered: '答复',
    paused: '挂起', resumed: '恢复',
  },
  'en-US': {
    created: 'Created', repeat_flagged: 'Repeat flagged', assigned: 'Assigned', reassigned: 'Reassigned', claimed: 'Claimed', arrived: 'On site',
    completed: 'Completed', cancelled: 'Cancelled', reopened: 'Reopened', note: 'Note', category_changed: 'Category changed', reminder_sent: 'Reminder',
    followup_recorded: 'Follow-up', followup_overdue: 'Follow-up overdue', followup_corrected: 'Follow-up corrected', type_changed: 'Classified',
    routed: 'Routed', handled: 'Handled', answered: 'Answered', paused: 'Paused', resumed: 'Resumed',
  },
}

export const eventName = (locale: Locale, type: string) => names[locale][type] ?? type

/** The human part of an event's data (a note, a reason, the work done), never ids or phone numbers. */
export function eventText(data: unknown): string {
  if (!data || typeof data !== 'object') return ''
  const record = data as Record<string, unknown>
  return ['text', 'reason', 'workDone', 'comment', 'answer', 'category'].map((key) => record[key]).filter((value): value is string => typeof value === 'string' && value !== '').join(' · ')
}
