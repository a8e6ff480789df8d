import { z } from 'zod'
import { isValidTimeZone } from '../time/zone.ts'
import { ConnectionMode, GroupPurpose, Platform, Role } from '../generated/prisma/client.ts'
import { WECOM_APP_CREDENTIAL_KEYS, larkCredentialsSchema, wecomCredentialsSchema } from '../platforms/credentials.ts'
import { policyOverridesSchema } from '../domain/policy.ts'
import { complaintPolicyOverridesBody } from '../domain/complaints/policy.ts'

/** Request schemas of the admin API; route handlers use the inferred types, never hand-written ones. */

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a 24-hour time like 18:00')

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-10-01')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), 'is not a real date')

// Intl also accepts offsets like "+08:00", which are not zones: tenants need real IANA names.
export const ianaTimeZone = z
  .string()
  .refine((zone) => isValidTimeZone(zone) && (zone.includes('/') || zone === 'UTC'), 'must be an IANA time zone such as Asia/Shanghai')

const hoursRange = z
  .strictObject({
    days: z
      .array(z.number().int().min(1).max(7))
      .min(1, 'needs at least one ISO weekday (1 = Monday … 7 = Sunday)')
      .refine((days) => new Set(days).size === days.length, 'lists a weekday twice'),
    start: hhmm,
    end: hhmm,
  })
  .refine((hours) => hours.start < hours.end, { message: 'must end after it starts', path: ['end'] })

/**
 * Working hours: one range for the same hours on some weekdays ({days:[1,2,3,4,5],start,end}), or
 * one range per set of weekdays with their own hours, e.g. Saturday mornings only.
 */
export const businessHoursSchema = z.union([
  hoursRange,
  z
    .array(hoursRange)
    .min(1, 'needs at least one working day')
    .max(7)
    .refine((ranges) => {
      const days = ranges.flatMap((range) => range.days)
      return new Set(days).size === days.length
    }, 'gives one weekday two sets of hours'),
])

const holidays = z.array(isoDate).max(366)
const extraWorkdays = z.array(isoDate).max(366)

/** A date cannot be both a day off and an extra working day. */
const noDateTwice = (body: { holidays?: string[]; extraWorkdays?: string[] }) => !(body.holidays ?? []).some((date) => (body.extraWorkdays ?? []).includes(date))
const dateTwice = { message: 'a date cannot be both a holiday and an extra working day', path: ['extraWorkdays'] }

/** Local times of the bookings' day: the day-before customer reminder and the daily audit (夜审). */
const bookingTimes = {
  bookingReminderTime: hhmm.optional(),
  bookingAuditTime: hhmm.optional(),
}

export const createTenantBody = z
  .strictObject({
    name: z.string().trim().min(1, 'is required').max(100),
    timeZone: ianaTimeZone.default('Asia/Shanghai'),
    businessHours: businessHoursSchema.optional(),
    holidays: holidays.optional(),
    extraWorkdays: extraWorkdays.optional(),
    /** China's official holidays and make-up days (调休); false for teams that work every day. */
    officialHolidays: z.boolean().optional(),
    ...bookingTimes,
  })
  .refine(noDateTwice, dateTwice)

/**
 * The domain's own policy schemas (repairs at the top, complaints under `complaints`), so the
 * admin API can never store a policy the domain refuses. Made strict here (the domain reads
 * leniently) because a misspelt key would silently keep the default.
 */
export const tenantPolicyBody = policyOverridesSchema.strict().safeExtend({ complaints: complaintPolicyOverridesBody.optional() })

const resolveHoursKeys = Object.keys(policyOverridesSchema.shape.resolveHours.unwrap().shape)

/**
 * The nested resolveHours object stays lenient inside the domain schema and strips unknown
 * priorities; the raw body is checked here so `resolveHours.medium` is refused, not dropped.
 */
export function unknownResolveHours(rawPolicy: unknown): { field: string; message: string }[] {
  const hours = typeof rawPolicy === 'object' && rawPolicy !== null ? (rawPolicy as { resolveHours?: unknown }).resolveHours : undefined
  if (typeof hours !== 'object' || hours === null || Array.isArray(hours)) return []
  return Object.keys(hours)
    .filter((key) => !resolveHoursKeys.includes(key))
    .map((key) => ({ field: `policy.resolveHours.${key}`, message: 'unknown field' }))
}

export const updateTenantBody = z
  .strictObject({
    name: z.string().trim().min(1, 'is required').max(100).optional(),
    timeZone: ianaTimeZone.optional(),
    businessHours: businessHoursSchema.optional(),
    /** The whole list: what is not in it is no longer a holiday. */
    holidays: holidays.optional(),
    /** The whole list of extra working days, like holidays. */
    extraWorkdays: extraWorkdays.optional(),
    officialHolidays: z.boolean().optional(),
    ...bookingTimes,
    /** The tenant's whole set of overrides: keys left out fall back to the defaults. */
    policy: tenantPolicyBody.optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), 'names nothing to change')
  .refine(noDateTwice, dateTwice)

const connectionBase = {
  name: z.string().trim().min(1, 'is required').max(100),
  mode: z.enum(ConnectionMode).default('webhook'),
}

export const createConnectionBody = z
  .discriminatedUnion('platform', [
    z.strictObject({ platform: z.literal('lark'), ...connectionBase, credentials: larkCredentialsSchema }),
    z.strictObject({ platform: z.literal('wecom'), ...connectionBase, credentials: wecomCredentialsSchema }),
  ])
  .superRefine((body, issues) => {
    if (body.platform !== 'wecom') return
    // A WeCom long connection logs in as the robot itself, so it cannot work without these two.
    if (body.mode === 'long_connection') {
      for (const key of ['botId', 'botSecret'] as const) {
        if (!body.credentials[key]) issues.addIssue({ code: 'custom', path: ['credentials', key], message: 'is required for a long connection' })
      }
    }
    // App replies need corpId, agentId and corpSecret together; a partial set is a typo, not a choice.
    const given = WECOM_APP_CREDENTIAL_KEYS.filter((key) => body.credentials[key] !== undefined)
    if (given.length > 0 && given.length < WECOM_APP_CREDENTIAL_KEYS.length) {
      for (const key of WECOM_APP_CREDENTIAL_KEYS) {
        if (body.credentials[key] === undefined) issues.addIssue({ code: 'custom', path: ['credentials', key], message: 'is required with the other app credentials' })
      }
    }
  })

const pushKey = z.string().trim().min(1).max(300)

export const createGroupBody = z.strictObject({
  platform: z.enum(Platform),
  connectionId: z.string().min(1).optional(),
  externalId: z.string().trim().min(1, 'is required').max(200),
  name: z.string().trim().min(1, 'is required').max(100),
  purpose: z.enum(GroupPurpose),
  pushKey: pushKey.optional(),
  summaryTime: hhmm.optional(),
  summaryEnabled: z.boolean().optional(),
})

export const updateGroupBody = z
  .strictObject({
    name: z.string().trim().min(1).max(100).optional(),
    purpose: z.enum(GroupPurpose).optional(),
    /** null removes the key. */
    pushKey: pushKey.nullable().optional(),
    summaryTime: hhmm.optional(),
    summaryEnabled: z.boolean().optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), 'names nothing to change')

export const createBindingCodeBody = z.strictObject({ purpose: z.enum(GroupPurpose) })

export const upsertMemberBody = z.strictObject({
  platform: z.enum(Platform),
  externalUserId: z.string().trim().min(1, 'is required').max(200),
  name: z.string().trim().min(1, 'is required').max(100),
  roles: z
    .array(z.enum(Role))
    .min(1, 'needs at least one role')
    .transform((roles) => [...new Set(roles)]),
  phone: z
    .string()
    .trim()
    .regex(/^\+?[\d\s-]{5,20}$/, 'must be a phone number')
    .optional(),
  /** Other names people @ this member by (WeCom mentions arrive as "@Name" text); replaces the list. */
  aliases: z
    .array(z.string().trim().min(1, 'must not be empty').max(100).regex(/^[^\s@]+$/, 'must be one word without spaces or @'))
    .max(20)
    .transform((aliases) => [...new Set(aliases)])
    .optional(),
})

const departmentName = z.string().trim().min(1, 'is required').max(50).regex(/^[^\s@#]+$/, 'must be one word without spaces, @ or #')
/** Hours to handle a complaint of each kind in this department; a kind left out keeps the tenant's limit. */
const complaintLimitHours = z.number().positive('must be more than 0 hours').max(24 * 60, 'must be at most 1440 hours (60 days)')
const departmentFields = {
  /** Other names a 转交 may use (工程 → 工程部); replaces the list. */
  aliases: z
    .array(departmentName)
    .max(20)
    .transform((aliases) => [...new Set(aliases)]),
  /** Member ids of the heads, @-mentioned when a complaint is routed or escalated, in this order. */
  headIds: z
    .array(z.string().min(1))
    .max(10)
    .transform((ids) => [...new Set(ids)]),
  limitHours: z.strictObject({ effective: complaintLimitHours, communication: complaintLimitHours }).partial(),
}

export const createDepartmentBody = z.strictObject({
  name: departmentName,
  aliases: departmentFields.aliases.optional(),
  headIds: departmentFields.headIds.optional(),
  /** The group where the department works and hears of its complaints. */
  groupId: z.string().min(1).optional(),
  limitHours: departmentFields.limitHours.optional(),
})

export const updateDepartmentBody = z
  .strictObject({
    name: departmentName.optional(),
    aliases: departmentFields.aliases.optional(),
    headIds: departmentFields.headIds.optional(),
    /** null: the department has no group of its own. */
    groupId: z.string().min(1).nullable().optional(),
    /** The whole set: a kind left out falls back to the tenant's limit. */
    limitHours: departmentFields.limitHours.optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), 'names nothing to change')

/** What `资源` and a booking command may name: one word, like 会议室A or 羽毛球场1号. */
const resourceName = z.string().trim().min(1, 'is required').max(50).regex(/^[^\s@#]+$/, 'must be one word without spaces, @ or #')
/** Whole minutes within a day: `what` names the field in the message. */
const minutes = (what: string, min: number, max: number) =>
  z
    .number({ error: `must be a number of minutes (${what})` })
    .int('must be whole minutes')
    .min(min, `must be at least ${min} minutes`)
    .max(max, `must be at most ${max} minutes`)

export const resourceKinds = ['room', 'venue', 'court', 'hotel_room', 'bed', 'service'] as const

/** Every field of a resource; create makes name required, update makes all optional. */
const resourceFields = {
  name: resourceName,
  /** Other names people type for it (A会议室); replaces the list. */
  aliases: z
    .array(resourceName)
    .max(20)
    .transform((aliases) => [...new Set(aliases)]),
  /** bed holds on a deposit for 5 working days; service starts the call-back clock. */
  kind: z.enum(resourceKinds, { error: `must be one of ${resourceKinds.join(', ')}` }),
  /** How many bookings may overlap (lanes of the exclusion constraint). */
  capacity: z.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').max(100, 'must be at most 100'),
  opensAt: hhmm,
  closesAt: hhmm,
  slotMinutes: minutes('the start step', 5, 24 * 60),
  defaultMinutes: minutes('the length when none is given', 5, 24 * 60),
  bufferBeforeMinutes: minutes('kept free before', 0, 12 * 60),
  bufferAfterMinutes: minutes('kept free after', 0, 12 * 60),
  minNoticeMinutes: minutes('notice before the start', 0, 90 * 24 * 60),
  maxAdvanceDays: z.number({ error: 'must be a number of days' }).int('must be whole days').min(1, 'must be at least 1 day').max(730, 'must be at most 730 days'),
  depositRequired: z.boolean({ error: 'must be true or false' }),
  /** In fen (分); null: no price shown. */
  priceCents: z.number({ error: 'must be an amount in fen (分), e.g. 80000 for 800 yuan' }).int('must be whole fen').min(0, 'must not be negative').max(100_000_000, 'must be at most 1,000,000 yuan').nullable(),
  /** Roles that each confirm their preparation (已准备 #N); replaces the list. */
  prepRoles: z
    .array(z.enum(Role, { error: `must be one of ${Object.values(Role).join(', ')}` }))
    .max(5)
    .transform((roles) => [...new Set(roles)]),
}

/** A day's opening must come before its closing; checked on the merged row for updates too. */
export function openingProblems(hours: { opensAt: string; closesAt: string; defaultMinutes: number }): { field: string; message: string }[] {
  const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3))
  const open = toMinutes(hours.closesAt) - toMinutes(hours.opensAt)
  if (open <= 0) return [{ field: 'closesAt', message: `must be after the opening time ${hours.opensAt}` }]
  if (hours.defaultMinutes > open) return [{ field: 'defaultMinutes', message: `is longer than the ${open} minutes the resource is open` }]
  return []
}

export const createResourceBody = z
  .strictObject({
    name: resourceFields.name,
    aliases: resourceFields.aliases.optional(),
    kind: resourceFields.kind.default('room'),
    capacity: resourceFields.capacity.default(1),
    opensAt: resourceFields.opensAt.default('08:00'),
    closesAt: resourceFields.closesAt.default('22:00'),
    slotMinutes: resourceFields.slotMinutes.default(30),
    defaultMinutes: resourceFields.defaultMinutes.default(60),
    bufferBeforeMinutes: resourceFields.bufferBeforeMinutes.default(0),
    bufferAfterMinutes: resourceFields.bufferAfterMinutes.default(0),
    minNoticeMinutes: resourceFields.minNoticeMinutes.default(0),
    maxAdvanceDays: resourceFields.maxAdvanceDays.default(90),
    depositRequired: resourceFields.depositRequired.default(false),
    priceCents: resourceFields.priceCents.optional(),
    prepRoles: resourceFields.prepRoles.optional(),
  })

export const updateResourceBody = z
  .strictObject({
    name: resourceFields.name.optional(),
    aliases: resourceFields.aliases.optional(),
    kind: resourceFields.kind.optional(),
    capacity: resourceFields.capacity.optional(),
    opensAt: resourceFields.opensAt.optional(),
    closesAt: resourceFields.closesAt.optional(),
    slotMinutes: resourceFields.slotMinutes.optional(),
    defaultMinutes: resourceFields.defaultMinutes.optional(),
    bufferBeforeMinutes: resourceFields.bufferBeforeMinutes.optional(),
    bufferAfterMinutes: resourceFields.bufferAfterMinutes.optional(),
    minNoticeMinutes: resourceFields.minNoticeMinutes.optional(),
    maxAdvanceDays: resourceFields.maxAdvanceDays.optional(),
    depositRequired: resourceFields.depositRequired.optional(),
    priceCents: resourceFields.priceCents.optional(),
    prepRoles: resourceFields.prepRoles.optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), 'names nothing to change')

export const resourceParams = z.object({ tenantId: z.string().min(1), id: z.string().min(1) })

export const tenantParams = z.object({ tenantId: z.string().min(1) })
export const idParams = z.object({ id: z.string().min(1) })

export const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
})

export type CreateTenantBody = z.infer<typeof createTenantBody>
export type UpdateTenantBody = z.infer<typeof updateTenantBody>
export type CreateConnectionBody = z.infer<typeof createConnectionBody>
export type CreateGroupBody = z.infer<typeof createGroupBody>
export type UpdateGroupBody = z.infer<typeof updateGroupBody>
export type UpsertMemberBody = z.infer<typeof upsertMemberBody>
export type CreateDepartmentBody = z.infer<typeof createDepartmentBody>
export type UpdateDepartmentBody = z.infer<typeof updateDepartmentBody>
export type CreateResourceBody = z.infer<typeof createResourceBody>
export type UpdateResourceBody = z.infer<typeof updateResourceBody>
