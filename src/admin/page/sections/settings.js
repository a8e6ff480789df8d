// The tenant's own settings: name, zone, working hours, days off, booking times and the policy's main limits.

import { api } from '../lib/api.js'
import { dateList, fillWeekdayHours, isPlainObject, weekdayHoursFromForm } from '../lib/calendar.js'
import { $, $$ } from '../lib/dom.js'
import { flash } from '../lib/flash.js'
import { clearFormErrors, showFormError, submitting, trimmed } from '../lib/forms.js'
import { state } from '../lib/state.js'
import { renderTenantHeader } from './tenants.js'

/** The tenant's policy as last loaded ({ tenantId, overrides, defaults }); the form saves from it. */
let policy = null

/** `policy.resolveHours.urgent` → ['resolveHours', 'urgent'] */
const policyPath = (input) => input.name.slice('policy.'.length).split('.')
const dig = (object, path) => path.reduce((value, key) => (isPlainObject(value) ? value[key] : undefined), object)

export const show = loadSettings

/** Another tenant opened: its policy must be loaded before the form can save. */
export function forget() {
  policy = null
}

async function loadSettings(tenantId) {
  const form = $('#tenant-settings-form')
  clearFormErrors(form)
  try {
    const [tenant, loaded] = await Promise.all([
      api('GET', `/tenants/${encodeURIComponent(tenantId)}`),
      api('GET', `/tenants/${encodeURIComponent(tenantId)}/policy`),
    ])
    state.tenant = tenant
    policy = { tenantId, overrides: isPlainObject(loaded.overrides) ? loaded.overrides : {}, defaults: loaded.defaults }
    renderTenantHeader()
    fillSettingsForm(form, tenant, policy)
  } catch (error) {
    showFormError(form, error)
  }
}

function fillSettingsForm(form, tenant, { overrides, defaults }) {
  form.elements.namedItem('name').value = tenant.name
  form.elements.namedItem('timeZone').value = tenant.timeZone
  fillWeekdayHours(form, tenant.businessHours)
  form.elements.namedItem('holidays').value = (tenant.holidays ?? []).join('\n')
  form.elements.namedItem('extraWorkdays').value = (tenant.extraWorkdays ?? []).join('\n')
  form.elements.namedItem('officialHolidays').checked = tenant.officialHolidays !== false
  form.elements.namedItem('bookingReminderTime').value = tenant.bookingReminderTime ?? ''
  form.elements.namedItem('bookingAuditTime').value = tenant.bookingAuditTime ?? ''
  for (const select of $$('select[name^="policy."]', form)) {
    const own = dig(overrides, policyPath(select))
    select.value = typeof own === 'string' ? own : ''
    const fallback = dig(defaults, policyPath(select))
    select.options[0].textContent = fallback ? `默认（${fallback === 'business' ? '工作时间' : '全天'}）` : '默认'
  }
  for (const input of $$('input[name^="policy."]', form)) {
    const path = policyPath(input)
    const own = dig(overrides, path)
    const fallback = dig(defaults, path)
    // Only the tenant's own values fill the field; the default shows greyed as the placeholder.
    input.value = typeof own === 'number' ? String(own) : ''
    input.placeholder = fallback === undefined ? '' : `默认 ${fallback}`
  }
}

/**
 * The form shows only the main limits, but the API replaces the whole set of overrides: start
 * from what is stored so overrides set elsewhere (repeat threshold, follow-ups…) survive.
 */
function policyFromForm(form, overrides) {
  const result = structuredClone(overrides)
  for (const input of $$('input[name^="policy."]', form)) {
    const path = policyPath(input)
    const parent = path.slice(0, -1).reduce((object, key) => (isPlainObject(object[key]) ? object[key] : (object[key] = {})), result)
    const key = path[path.length - 1]
    // A number field holding text reads as ''; send null so the API names the field instead of resetting it.
    if (input.validity.badInput) parent[key] = null
    else if (input.value.trim() === '') delete parent[key]
    else parent[key] = Number(input.value)
  }
  if (isPlainObject(result.resolveHours) && !Object.keys(result.resolveHours).length) delete result.resolveHours
  for (const select of $$('select[name^="policy."]', form)) {
    const path = policyPath(select)
    const parent = path.slice(0, -1).reduce((object, key) => (isPlainObject(object[key]) ? object[key] : (object[key] = {})), result)
    if (select.value) parent[path[path.length - 1]] = select.value
    else delete parent[path[path.length - 1]]
  }
  if (isPlainObject(result.clocks?.resolve) && !Object.keys(result.clocks.resolve).length) delete result.clocks.resolve
  if (isPlainObject(result.clocks) && !Object.keys(result.clocks).length) delete result.clocks
  return result
}

export function setup() {
  const form = $('#tenant-settings-form')
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const tenantId = state.tenant?.id
    if (!tenantId) return
    submitting(form, async () => {
      if (policy?.tenantId !== tenantId) throw new Error('设置尚未加载完成，请点“刷新”后重试。')
      const body = {
        name: trimmed(form, 'name'),
        timeZone: trimmed(form, 'timeZone'),
        businessHours: weekdayHoursFromForm(form),
        holidays: dateList(form, 'holidays'),
        extraWorkdays: dateList(form, 'extraWorkdays'),
        officialHolidays: form.elements.namedItem('officialHolidays').checked,
        // An emptied time field is sent as typed so the API names it instead of keeping the old time.
        bookingReminderTime: form.elements.namedItem('bookingReminderTime').value,
        bookingAuditTime: form.elements.namedItem('bookingAuditTime').value,
        policy: policyFromForm(form, policy.overrides),
      }
      const tenant = await api('PATCH', `/tenants/${encodeURIComponent(tenantId)}`, body)
      state.tenant = tenant
      state.tenants = state.tenants.map((known) => (known.id === tenant.id ? tenant : known))
      renderTenantHeader()
      flash('租户设置已保存。新的时限从之后新建或重新计时的工单开始生效。', 'success')
      await loadSettings(tenantId)
    })
  })
}
