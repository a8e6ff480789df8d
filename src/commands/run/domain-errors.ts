import { isDomainError, type DomainError } from '../../domain/errors.ts'
import type { TicketStatus } from '../../generated/prisma/client.ts'
import type { Language } from '../catalog.ts'
import { statusWord } from './format.ts'

type Params = Record<string, string | number>
type Text = (p: Params) => string

/** One polite sentence per domain error code and language (codes: src/domain/errors.ts). */
const texts: Record<string, Record<Language, Text>> = {
  'ticket.not_found': { zh: (p) => `没有找到工单 #${p.number}，请核对单号。`, en: (p) => `There is no ticket #${p.number}; please check the number.` },
  'ticket.not_visible': {
    zh: (p) => `没有找到工单 #${p.number}，或您无权查看。请核对单号；您可以查看自己报修的工单。`,
    en: (p) => `I could not find ticket #${p.number}, or you may not view it. Please check the number; you can view the tickets you reported.`,
  },
  'ticket.already_assigned': {
    zh: (p) => `工单 #${p.number} 已由 ${p.assignee} 负责，如需改派请联系客服或主管。`,
    en: (p) => `Ticket #${p.number} is already assigned to ${p.assignee}; ask an agent or supervisor to reassign it.`,
  },
  'ticket.not_yours': {
    zh: (p) => `工单 #${p.number} 不是您负责的，请联系负责人、客服或主管处理。`,
    en: (p) => `Ticket #${p.number} is not yours; please ask its assignee, an agent or a supervisor.`,
  },
  'ticket.customer_cannot_assign': { zh: () => '抱歉，业主不能派单或接单。', en: () => 'Sorry, customers cannot assign or claim tickets.' },
  'ticket.unit_required': { zh: () => '请写明房号，例如 3-2-501。', en: () => 'Please give the unit, e.g. 3-2-501.' },
  'ticket.description_required': { zh: () => '请写明报修内容。', en: () => 'Please say what needs repairing.' },
  'ticket.work_done_required': { zh: () => '请写明做了什么，例如：完成 #1001 更换角阀 材料费30元。', en: () => 'Please say what was done, e.g. "done #1001 replaced valve fee 30".' },
  'ticket.reason_required': { zh: () => '请写明原因。', en: () => 'Please give a reason.' },
  'ticket.appointment_in_past': { zh: () => '预约时间已经过去了，请换一个时间。', en: () => 'That appointment time has passed; please choose another.' },
  'ticket.invalid_fee': { zh: () => '费用看不懂，请写成「材料费30元」。', en: () => 'I could not read the fee; write it like "fee 30".' },
  'ticket.invalid_category': { zh: () => '没有这个报修类别。', en: () => 'There is no such repair category.' },
  'member.not_found': { zh: () => '没有找到这位成员。', en: () => 'I could not find that member.' },
  'member.not_staff': {
    zh: (p) => `${p.name} 还不是维修或客服人员，请管理员先发送「授权 @${p.name} 维修工」。`,
    en: (p) => `${p.name} is not staff yet; an admin can send "grant @${p.name} technician" first.`,
  },
  'member.unknown_name': {
    zh: (p) => `没有找到叫「${p.name}」的成员。请管理员在管理页添加这位成员（可填写别名），或请 TA 先在群里发一条消息，再由管理员发送「授权 @${p.name} 维修工」授予角色。`,
    en: (p) => `There is no member called "${p.name}". An admin can add them on the admin page (with aliases), or they can send a message here first; then an admin grants a role with "grant @${p.name} technician".`,
  },
  'member.ambiguous_name': {
    zh: (p) => `有 ${p.count} 位成员叫「${p.name}」：${p.candidates}。请改用其中一位的别名 @ TA；还没有别名的，请管理员在管理页设置。`,
    en: (p) => `${p.count} members are called "${p.name}": ${p.candidates}. Please @ one of them by an alias; an admin can set aliases on the admin page.`,
  },
  'group.not_found': { zh: () => '没有找到这个群。', en: () => 'I could not find this group.' },
  'tenant.not_found': { zh: () => '没有找到所属单位。', en: () => 'I could not find this organisation.' },
  'tenant.invalid_policy': {
    zh: () => '本单位的时限设置有误，请管理员在管理页检查后再试。',
    en: () => "This organisation's time-limit settings are invalid; an admin needs to fix them.",
  },
  'followup.none_open': { zh: (p) => `工单 #${p.number} 没有待回访的记录。`, en: (p) => `Ticket #${p.number} has no follow-up due.` },
  'followup.not_due_yet': { zh: (p) => `工单 #${p.number} 还没到回访时间。`, en: (p) => `The follow-up of ticket #${p.number} is not due yet.` },
  'followup.invalid_rating': { zh: () => '评分请用 1 到 5 分。', en: () => 'Ratings go from 1 to 5.' },
  'followup.staff_only': { zh: () => '只有客服或主管可以记录回访。', en: () => 'Only agents and supervisors record follow-ups.' },
  'followup.desk_only': { zh: () => '只有客服、主管或管理员可以更正回访记录。', en: () => 'Only agents, supervisors and admins may correct a follow-up.' },
  'followup.none_recorded': { zh: (p) => `工单 #${p.number} 还没有回访记录，无需更正。`, en: (p) => `Ticket #${p.number} has no recorded follow-up to correct.` },
  'followup.subject_not_found': { zh: () => '没有找到要回访的工单或预订。', en: () => 'I could not find the ticket or booking to follow up.' },
  'complaint.not_found': { zh: (p) => `没有找到投诉 #${p.number}，请核对单号。`, en: (p) => `There is no complaint #${p.number}; please check the number.` },
  'complaint.place_required': { zh: () => '请写明房号或地点，例如 3-2-501、地下车库B2。', en: () => 'Please give the unit or place, e.g. 3-2-501 or 地下车库B2.' },
  'complaint.content_required': { zh: () => '请写明投诉内容。', en: () => 'Please say what the complaint is about.' },
  'complaint.handling_required': { zh: () => '请写明处理情况，例如：处理 #1001 已联系施工方，限晚8点后停工。', en: () => 'Please say how it was handled, e.g. "handle #1001 told the contractor to stop after 8pm".' },
  'complaint.answer_required': { zh: () => '请写明告知投诉人的内容。', en: () => 'Please say what the complainant was told.' },
  'complaint.received_in_future': { zh: () => '收到时间还没到，请核对，例如「收到 9:20」。', en: () => 'That receipt time is still ahead; please check it, e.g. "received 9:20".' },
  'complaint.unknown_department': {
    zh: (p) => `没有叫「${p.name}」的部门。现有部门：${p.known}。管理员可以在管理页添加部门或别名。`,
    en: (p) => `There is no department called "${p.name}". Departments: ${p.known}. An admin can add departments or aliases on the admin page.`,
  },
  'complaint.already_handled': { zh: (p) => `投诉 #${p.number} 已处理，不能再转交或处理。`, en: (p) => `Complaint #${p.number} is already handled.` },
  'complaint.not_handled': { zh: (p) => `投诉 #${p.number} 还没有处理，请先发送「处理 #${p.number} 处理情况」。`, en: (p) => `Complaint #${p.number} is not handled yet; send "handle #${p.number} <how>" first.` },
  'complaint.desk_only': { zh: () => '只有客服、主管或管理员可以定性或转交投诉。', en: () => 'Only agents, supervisors and admins classify or route complaints.' },
  'clock.already_paused': { zh: (p) => `工单 #${p.number} 已经挂起（${p.reason}），恢复请发送「恢复 #${p.number}」。`, en: (p) => `Ticket #${p.number} is already paused (${p.reason}); send "resume #${p.number}" to resume it.` },
  'clock.not_paused': { zh: (p) => `工单 #${p.number} 没有挂起，时限照常计算。`, en: (p) => `Ticket #${p.number} is not paused; its clocks are running.` },
  'clock.not_running': {
    zh: (p) => `工单 #${p.number} ${statusWord.zh[p.status as TicketStatus]}，没有在计时，无需挂起。`,
    en: (p) => `Ticket #${p.number} is ${statusWord.en[p.status as TicketStatus]}; no clock is running to pause.`,
  },
  'clock.staff_only': { zh: () => '只有客服、维修工或主管可以挂起或恢复工单。', en: () => 'Only agents, technicians and supervisors can pause or resume a ticket.' },
}

/** "不能<verb>" in Chinese, "cannot be <verb>" in English. */
const actionWord: Record<Language, Record<string, string>> = {
  zh: { assign: '派单', claim: '接单', arrive: '到场', complete: '完成', cancel: '取消', reopen: '重开' },
  en: { assign: 'assigned', claim: 'claimed', arrive: 'marked arrived', complete: 'completed', cancel: 'cancelled', reopen: 'reopened' },
}

/** A refused transition: "工单 #1001 已取消，不能完成。" */
function transitionText(error: DomainError, language: Language): string {
  const { number, action, status } = error.params
  const state = statusWord[language][status as TicketStatus] ?? String(status)
  const verb = actionWord[language][String(action)] ?? String(action)
  if (action === 'arrive' && status === 'open') {
    return language === 'zh' ? `工单 #${number} 还没有派单，请先派单或接单再报到场。` : `Ticket #${number} is not assigned yet; assign or claim it before arriving.`
  }
  return language === 'zh' ? `工单 #${number} ${state}，不能${verb}。` : `Ticket #${number} is ${state}; it cannot be ${verb}.`
}

/** The chat sentence for an error the domain raised on purpose, or null for anything else. */
export function domainErrorText(error: unknown, language: Language): string | null {
  if (!isDomainError(error)) return null
  if (error.code.startsWith('ticket.cannot_')) return transitionText(error, language)
  const text = texts[error.code]
  return text ? text[language](error.params) : null
}
