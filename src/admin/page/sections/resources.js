// Bookable resources: rooms, venues, courts, beds and home services.

import { api } from '../lib/api.js'
import { $, $$, emptyNote, h, table } from '../lib/dom.js'
import { flash, reportError } from '../lib/flash.js'
import { aliasList, clearFormErrors, loadInto, numberField, submitting, trimmed } from '../lib/forms.js'
import { LABELS, label } from '../lib/labels.js'
import { reloadTab } from '../lib/nav.js'
import { state } from '../lib/state.js'

const RESOURCE_NUMBERS = ['capacity', 'slotMinutes', 'defaultMinutes', 'bufferBeforeMinutes', 'bufferAfterMinutes', 'minNoticeMinutes', 'maxAdvanceDays']

/** The resource the form edits (PATCH), or null to create one. */
let editing = null

export function show(tenantId) {
  return loadInto($('#resource-list'), () => loadResources(tenantId))
}

/** Another tenant opened: nothing of the last one may stay in the form. */
export function forget() {
  resetResourceForm($('#resource-form'))
}

async function loadResources(tenantId) {
  const resources = await api('GET', `/tenants/${encodeURIComponent(tenantId)}/resources`)
  if (!resources.length) return emptyNote('还没有预约资源。添加会议室、场地、球场或上门服务后，群里即可「预约」。 No resources yet.')
  const minutes = (value) => (value ? `${value} 分钟` : '—')
  return table(
    ['名称 Name', '类型 Kind', '数量 Capacity', '开放 Hours', '间隔/默认 Step/Length', '缓冲 Buffers', '提前 Notice', '定金/价格 Deposit/Price', '准备 Prep', '状态 State', ''],
    resources.map((resource) =>
      h(
        'tr',
        {},
        h('td', {}, resource.name, resource.aliases.length ? h('div', { class: 'hint' }, resource.aliases.join('、')) : ''),
        h('td', {}, label('kind', resource.kind)),
        h('td', {}, String(resource.capacity)),
        h('td', {}, `${resource.opensAt}–${resource.closesAt}`),
        h('td', {}, `${resource.slotMinutes} / ${resource.defaultMinutes} 分钟`),
        h('td', {}, `前 ${minutes(resource.bufferBeforeMinutes)} · 后 ${minutes(resource.bufferAfterMinutes)}`),
        h('td', {}, `至少 ${minutes(resource.minNoticeMinutes)} · 最多 ${resource.maxAdvanceDays} 天`),
        h('td', {}, `${resource.depositRequired ? '需定金' : '无需定金'} · ${resource.priceCents === null ? '—' : `${(resource.priceCents / 100).toFixed(2)} 元`}`),
        h('td', {}, resource.prepRoles.length ? resource.prepRoles.map((role) => label('roles', role)).join('、') : '—'),
        h('td', {}, resource.active ? h('span', { class: 'tag on' }, '可预约 active') : h('span', { class: 'tag off' }, '已停用 inactive')),
        h(
          'td',
          { class: 'actions' },
          h('button', { type: 'button', class: 'secondary small', onclick: () => editResource(resource) }, '修改 Edit'),
          resource.active
            ? h('button', { type: 'button', class: 'danger small', onclick: (event) => setResourceActive(resource, false, event.target) }, '停用 Deactivate')
            : h('button', { type: 'button', class: 'secondary small', onclick: (event) => setResourceActive(resource, true, event.target) }, '启用 Activate'),
        ),
      ),
    ),
  )
}

function resetResourceForm(form) {
  form.reset()
  editing = null
  clearFormErrors(form)
}

function editResource(resource) {
  const form = $('#resource-form')
  resetResourceForm(form)
  editing = resource.id
  for (const name of ['name', 'kind', 'opensAt', 'closesAt', ...RESOURCE_NUMBERS]) form.elements.namedItem(name).value = resource[name]
  form.elements.namedItem('aliases').value = resource.aliases.join(', ')
  form.elements.namedItem('priceCents').value = resource.priceCents === null ? '' : (resource.priceCents / 100).toFixed(2)
  form.elements.namedItem('depositRequired').checked = resource.depositRequired
  for (const box of $$('input[name="prepRoles"]', form)) box.checked = resource.prepRoles.includes(box.value)
  $('#resource-create').open = true
  form.scrollIntoView({ behavior: 'smooth', block: 'nearest' })
}

async function setResourceActive(resource, active, button) {
  if (!active && !confirm(`停用“${resource.name}”？之后不能再预约，已有的预约照常保留。`)) return
  button.disabled = true
  const tenantId = encodeURIComponent(state.tenant.id)
  const id = encodeURIComponent(resource.id)
  try {
    if (active) await api('POST', `/tenants/${tenantId}/resources/${id}/activate`)
    else await api('POST', `/tenants/${tenantId}/resources/${id}/deactivate`)
    flash(active ? `已启用“${resource.name}”。` : `已停用“${resource.name}”。`, 'success')
  } catch (error) {
    reportError(error)
  }
  reloadTab()
}

/**
 * The form as an API body. Empty numbers are left out (defaults on create, unchanged on edit);
 * text in a number field is sent as text so the API names the field. The price is typed in yuan.
 */
function resourceBody(form) {
  const body = {
    name: trimmed(form, 'name'),
    aliases: aliasList(form, 'aliases'),
    kind: form.elements.namedItem('kind').value,
    depositRequired: form.elements.namedItem('depositRequired').checked,
    prepRoles: $$('input[name="prepRoles"]:checked', form).map((el) => el.value),
  }
  for (const name of ['opensAt', 'closesAt']) {
    const value = trimmed(form, name)
    if (value) body[name] = value
  }
  for (const name of RESOURCE_NUMBERS) {
    const value = numberField(form, name)
    if (value !== undefined) body[name] = value
  }
  const price = form.elements.namedItem('priceCents')
  if (price.validity.badInput) body.priceCents = 'not a number'
  else if (price.value.trim() !== '') body.priceCents = Math.round(Number(price.value) * 100)
  else if (editing) body.priceCents = null
  return body
}

export function setup() {
  const form = $('#resource-form')
  $('[data-options="prepRoles"]', form).replaceChildren(
    ...Object.entries(LABELS.roles)
      .filter(([value]) => value !== 'customer')
      .map(([value, text]) => h('label', {}, h('input', { type: 'checkbox', name: 'prepRoles', value }), ' ', text)),
  )
  $('[data-action="new-resource"]', form).addEventListener('click', () => resetResourceForm(form))
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const tenantId = state.tenant?.id
    if (!tenantId) return
    submitting(form, async () => {
      const body = resourceBody(form)
      const resource = editing
        ? await api('PATCH', `/tenants/${encodeURIComponent(tenantId)}/resources/${encodeURIComponent(editing)}`, body)
        : await api('POST', `/tenants/${encodeURIComponent(tenantId)}/resources`, body)
      resetResourceForm(form)
      flash(`已保存预约资源“${resource.name}”。`, 'success')
      reloadTab()
    })
  })
}
