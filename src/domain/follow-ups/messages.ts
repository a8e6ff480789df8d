import type { Mention, Reply } from '../../messages/reply.ts'
import { maskPhones } from '../../text/phone.ts'
import { localParts } from '../time.ts'

/** What the follow-up texts need to know. Phones are masked: these go to groups. */
export interface FollowUpFacts {
  number: number | null
  kind: string
  unit: string | null
  contactName: string | null
  contactPhone: string | null
  dueBy: Date
}

/** Every group-facing sentence of the follow-up program, one implementation per locale. */
export interface FollowUpMessages {
  escalation(f: FollowUpFacts, mentions: Mention[]): Reply
  retry(f: FollowUpFacts, attempts: number, mentions: Mention[]): Reply
  unreachable(f: FollowUpFacts, attempts: number, mentions: Mention[]): Reply
  unsatisfied(f: FollowUpFacts, outcome: { rating: number | null; comment: string }, mentions: Mention[]): Reply
}

const kindWords = {
  zh: { complaint: '投诉回访', repair_callback: '即日回访', repair_quality: '工程质量回访', service_callback: '服务回访', emergency: '紧急事件回访', service: '服务回访' } as Record<string, string>,
  en: { complaint: 'complaint follow-up', repair_callback: 'same-day call-back', repair_quality: 'works quality follow-up', service_callback: 'service call-back', emergency: 'emergency follow-up', service: 'service follow-up' } as Record<string, string>,
}

const pad = (n: number) => String(n).padStart(2, '0')

function reply(heading: string, lines: string[], mentions: Mention[]): Reply {
  return { heading, lines: lines.map(maskPhones), mentions, buttons: [] }
}

function zhCN(timeZone: string): FollowUpMessages {
  const time = (at: Date) => {
    const p = localParts(at, timeZone)
    return `${p.month}月${p.day}日 ${pad(p.hour)}:${pad(p.minute)}`
  }
  const ref = (f: FollowUpFacts) => (f.number ? `#${f.number}` : '')
  const who = (f: FollowUpFacts) => [`${kindWords.zh[f.kind] ?? f.kind}　房号：${f.unit ?? '—'}`, `联系人：${[f.contactName, f.contactPhone].filter(Boolean).join(' ') || '—'}`]
  return {
    escalation: (f, m) => reply(`回访超时：${ref(f)} 无人回访`, [`应于 ${time(f.dueBy)} 前回访，至今没有记录，请安排。`, ...who(f)], m),
    retry: (f, n, m) => reply(`请再次回访 ${ref(f)}`, [`前 ${n} 次联系不上，请现在再打一次，并发送「回访 ${ref(f)} 满意」或「回访 ${ref(f)} 联系不上」。`, ...who(f)], m),
    unreachable: (f, n, m) => reply(`回访失败：${ref(f)} ${n} 次联系不上`, ['回访已结束（联系不上），已计入回访统计，请关注。', ...who(f)], m),
    unsatisfied: (f, o, m) => reply(`回访不满意：${ref(f)} 已退回处理`, [`评分：${o.rating ?? '—'}/5`, `意见：${o.comment || '—'}`, ...who(f)], m),
  }
}

function enUS(timeZone: string): FollowUpMessages {
  const time = (at: Date) => {
    const p = localParts(at, timeZone)
    return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`
  }
  const ref = (f: FollowUpFacts) => (f.number ? `#${f.number}` : '')
  const who = (f: FollowUpFacts) => [`${kindWords.en[f.kind] ?? f.kind}  Unit: ${f.unit ?? '—'}`, `Contact: ${[f.contactName, f.contactPhone].filter(Boolean).join(' ') || '—'}`]
  return {
    escalation: (f, m) => reply(`Follow-up missed: ${ref(f)}`, [`It was due by ${time(f.dueBy)} and nobody has recorded a call; please arrange one.`, ...who(f)], m),
    retry: (f, n, m) => reply(`Please call ${ref(f)} again`, [`${n} call(s) found nobody; try again now, then send "followup ${ref(f)} satisfied" or "followup ${ref(f)} unreachable".`, ...who(f)], m),
    unreachable: (f, n, m) => reply(`Follow-up failed: ${ref(f)} unreachable ${n} times`, ['The follow-up ended as unreachable and counts in the follow-up statistics.', ...who(f)], m),
    unsatisfied: (f, o, m) => reply(`Unsatisfied follow-up: ${ref(f)} goes back to handling`, [`Rating: ${o.rating ?? '—'}/5`, `Comment: ${o.comment || '—'}`, ...who(f)], m),
  }
}

/** Texts for a tenant locale; zh-CN unless the tenant speaks English. */
export function followUpMessages(locale: string, timeZone: string): FollowUpMessages {
  return locale.startsWith('en') ? enUS(timeZone) : zhCN(timeZone)
}
