import { AppError, BadInput, Conflict, Forbidden, NotFound } from '../errors.ts'
import type { TicketStatus } from '../generated/prisma/client.ts'

/**
 * Domain error codes. The error's `message` is the code itself, so the chat layer can look up a
 * polite sentence per locale (zh-CN, en-US) and fill it with `params`. Each code maps to one of
 * the app's error kinds (src/errors.ts), which decides the HTTP status.
 *
 *   ticket.cannot_<action>_<status>  Conflict   the ticket's status forbids the action
 *                                               (params: number, action, status)
 *   ticket.already_assigned          Conflict   claim of a ticket someone else holds (number, assignee)
 *   ticket.not_found                 NotFound   no such number in this tenant (number)
 *   ticket.not_visible               NotFound   no such ticket, or not the customer's own: which is not said (number)
 *   ticket.not_yours                 Forbidden  acting on a ticket that belongs to someone else (number)
 *   ticket.customer_cannot_assign    Forbidden  a customer tried to assign or claim
 *   ticket.unit_required / description_required / reason_required / appointment_in_past /
 *   invalid_fee / invalid_category / work_done_required / note_required
 *                                    BadInput   missing or invalid input
 *   member.not_found                 NotFound   member id unknown in this tenant (memberId)
 *   member.not_staff                 BadInput   the assignee is not staff (name)
 *   member.unknown_name              NotFound   an "@Name" matches no member's name or alias (name)
 *   member.ambiguous_name            BadInput   an "@Name" matches several members (name, count, candidates)
 *   group.not_found                  NotFound   group id unknown in this tenant
 *   tenant.not_found                 NotFound
 *   tenant.invalid_policy            BadInput   Tenant.policy or businessHours fails validation (issue)
 *   followup.none_open               Conflict   no pending or overdue follow-up for the ticket (number)
 *   followup.not_due_yet             Conflict   the follow-up window has not opened (number, dueFrom)
 *   followup.invalid_rating          BadInput   rating outside 1–5
 *   followup.staff_only              Forbidden  a customer tried to record a call-back
 *   followup.desk_only               Forbidden  only the desk corrects a recorded follow-up
 *   followup.none_recorded           Conflict   nothing recorded yet to correct (number)
 *   followup.subject_not_found       NotFound   planFollowUp for a ticket or booking not in the tenant
 *   complaint.not_found              NotFound   no such complaint number in this tenant (number)
 *   complaint.place_required / content_required / handling_required / answer_required /
 *   received_in_future               BadInput   missing or invalid input
 *   complaint.unknown_department     BadInput   no department by that name or alias (name, known)
 *   complaint.already_handled        Conflict   routing or handling a complaint already handled (number)
 *   complaint.not_handled            Conflict   answering before it is handled (number)
 *   complaint.desk_only              Forbidden  only agents, supervisors and admins classify and route (number)
 *   clock.already_paused             Conflict   pause of a paused ticket (number, reason)
 *   clock.not_paused                 Conflict   resume of a ticket that is not paused (number)
 *   clock.not_running                Conflict   pause of a ticket whose clocks are not running (number, status)
 *   clock.staff_only                 Forbidden  a customer tried to pause or resume
 */
export type TicketAction = 'assign' | 'claim' | 'arrive' | 'complete' | 'cancel' | 'reopen'

const fixedKinds = {
  'ticket.already_assigned': Conflict,
  'ticket.not_found': NotFound,
  'ticket.not_visible': NotFound,
  'ticket.not_yours': Forbidden,
  'ticket.customer_cannot_assign': Forbidden,
  'ticket.unit_required': BadInput,
  'ticket.description_required': BadInput,
  'ticket.reason_required': BadInput,
  'ticket.appointment_in_past': BadInput,
  'ticket.invalid_fee': BadInput,
  'ticket.invalid_category': BadInput,
  'ticket.work_done_required': BadInput,
  'ticket.note_required': BadInput,
  'member.not_found': NotFound,
  'member.not_staff': BadInput,
  'member.unknown_name': NotFound,
  'member.ambiguous_name': BadInput,
  'group.not_found': NotFound,
  'tenant.not_found': NotFound,
  'tenant.invalid_policy': BadInput,
  'followup.none_open': Conflict,
  'followup.not_due_yet': Conflict,
  'followup.invalid_rating': BadInput,
  'followup.staff_only': Forbidden,
  'followup.desk_only': Forbidden,
  'followup.none_recorded': Conflict,
  'followup.subject_not_found': NotFound,
  'complaint.not_found': NotFound,
  'complaint.place_required': BadInput,
  'complaint.content_required': BadInput,
  'complaint.handling_required': BadInput,
  'complaint.answer_required': BadInput,
  'complaint.received_in_future': BadInput,
  'complaint.unknown_department': BadInput,
  'complaint.already_handled': Conflict,
  'complaint.not_handled': Conflict,
  'complaint.desk_only': Forbidden,
  'clock.already_paused': Conflict,
  'clock.not_paused': Conflict,
  'clock.not_running': Conflict,
  'clock.staff_only': Forbidden,
} as const

export type TransitionErrorCode = `ticket.cannot_${TicketAction}_${TicketStatus}`
export type DomainErrorCode = keyof typeof fixedKinds | TransitionErrorCode
export type DomainErrorParams = Record<string, string | number>

export interface DomainErrorFields {
  code: DomainErrorCode
  params: DomainErrorParams
}
export type DomainError = AppError & DomainErrorFields

function kindOf(code: DomainErrorCode): new (message: string) => AppError {
  return code in fixedKinds ? fixedKinds[code as keyof typeof fixedKinds] : Conflict
}

/** Builds the app error of the right kind for a domain code; message = code. */
export function domainError(code: DomainErrorCode, params: DomainErrorParams = {}): DomainError {
  const Kind = kindOf(code)
  return Object.assign(new Kind(code), { code, params })
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof AppError && typeof (error as Partial<DomainErrorFields>).code === 'string'
}
