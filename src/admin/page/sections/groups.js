// Chat groups: list, binding codes, manual binding, editing and unbinding.

import { api } from '../lib/api.js'
import { copyText } from '../lib/clipboard.js'
import { $, $$, emptyNote, h, table } from '../lib/dom.js'
import { flash, reportError } from '../lib/flash.js'
import { clearFormErrors, loadInto, submitting, trimmed } from '../lib/forms.js'
import { fmtTime } from '../lib/format.js'
import { LABELS, label } from '../lib/labels.js'
import { reloadTab } from '../lib/nav.js'
import { state } from '../lib/state.js'

export function show(tenantId) {
  return loadInto($('#group-list'), () => loadGroups(tenantId))
}

/** Another tenant opened: the last tenant's code and edit form go. */
export function forget() {
  $('#binding-result').hidden = true
  $('#group-edit-form').hidden = true
}

async function loadGroups(tenantId) {
  // Connections fill the manual-bind form's select; load both together.
  const [groups, connections] = await Promise.all([
    api('GET', `/tenants/${encodeURIComponent(tenantId)}/groups`),
    api('GET', `/tenants/${encodeURIComponent(tenantId)}/connections`),
  ])
  state.groups = groups
  state.connections = connections
  fillConnectionSelect()
  if (!groups.length) return emptyNote('还没有绑定任何群。生成一个绑定码，在群里发送即可绑定。 No groups yet.')
  return table(
    ['群名称 Group', '平台', '用途 Purpose', '推送 key', '最近收到 Last in', '最近发出 Last out', '每日汇总', ''],
    groups.map((group) =>
      h(
        'tr',
        {},
        h('td', {}, group.name, h('div', { class: 'meta wrap' }, group.externalId)),
        h('td', {}, label('platform', group.platform)),
        h('td', {}, label('purpose', group.purpose)),
        h(
          'td',
          {},
          group.platform !== 'wecom'
            ? '—'
            : group.hasPushKey
              ? h('span', { class: 'tag on' }, '已设置 set')
              : h('span', { class: 'tag warn' }, '未设置 not set'),
        ),
        h('td', {}, fmtTime(group.lastInboundAt)),
        h('td', {}, fmtTime(group.lastOutboundAt)),
        h('td', {}, group.summaryEnabled ? group.summaryTime : '关闭'),
        h(
          'td',
          { class: 'actions' },
          h('button', { type: 'button', class: 'secondary small', onclick: () => editGroup(group) }, '修改 Edit'),
          h('button', { type: 'button', class: 'danger small', onclick: (event) => unbindGroup(group, event.target) }, '解绑 Unbind'),
        ),
      ),
    ),
  )
}

async function unbindGroup(group, button) {
  const ok = confirm(
    `确定解绑群“${group.name}”吗？\n解绑后在该群发送的指令不再被处理（只会收到绑定提示），也不再向该群发送通知和每日汇总（该群的汇总记录会删除）。\n已有的工单及其记录会保留。之后可用新的绑定码重新绑定该群。`,
  )
  if (!ok) return
  button.disabled = true
  try {
    await api('DELETE', `/groups/${encodeURIComponent(group.id)}`)
    const edit = $('#group-edit-form')
    if (edit.elements.namedItem('id').value === group.id) edit.hidden = true
    flash(`已解绑群“${group.name}”。`, 'success')
  } catch (error) {
    reportError(error)
  }
  reloadTab()
}

function fillOptions(select, kind) {
  select.replaceChildren(...Object.entries(LABELS[kind]).map(([value, text]) => h('option', { value }, text)))
}

/** The manual-bind form offers the enabled connections of the chosen platform (from state.connections). */
export function fillConnectionSelect() {
  const form = $('#group-form')
  const platform = form.elements.namedItem('platform').value
  const select = form.elements.namedItem('connectionId')
  const usable = state.connections.filter((c) => c.platform === platform && c.enabled)
  select.replaceChildren(h('option', { value: '' }, '不指定 none'), ...usable.map((c) => h('option', { value: c.id }, c.name)))
  if (usable.length === 1) select.value = usable[0].id
  for (const el of $$('[data-wecom-only]', form)) el.hidden = platform !== 'wecom'
}

function editGroup(group) {
  const form = $('#group-edit-form')
  clearFormErrors(form)
  form.elements.namedItem('id').value = group.id
  form.elements.namedItem('name').value = group.name
  form.elements.namedItem('purpose').value = group.purpose
  form.elements.namedItem('summaryEnabled').checked = group.summaryEnabled
  form.elements.namedItem('summaryTime').value = group.summaryTime ?? ''
  form.elements.namedItem('pushKey').value = ''
  form.elements.namedItem('removePushKey').checked = false
  $('.target', form).textContent = `— ${group.name}`
  $('[data-wecom-only]', form).hidden = group.platform !== 'wecom'
  form.hidden = false
  form.scrollIntoView({ behavior: 'smooth', block: 'nearest' })
}

function setupBindingForm() {
  const binding = $('#binding-form')
  binding.addEventListener('submit', (event) => {
    event.preventDefault()
    const tenantId = state.tenant?.id
    if (!tenantId) return
    submitting(binding, async () => {
      const result = await api('POST', `/tenants/${encodeURIComponent(tenantId)}/binding-codes`, { purpose: binding.elements.namedItem('purpose').value })
      const command = `绑定 ${result.code}`
      const copy = h('button', { type: 'button', class: 'small', onclick: () => copyText(command, copy) }, '复制 Copy')
      const box = $('#binding-result')
      box.replaceChildren(
        h('div', { class: 'meta' }, `绑定码 · 用途：${label('purpose', result.purpose)}`),
        h('div', { class: 'big-code' }, result.code),
        h('div', { class: 'say' }, '在要绑定的群里发送 ', h('code', {}, command), ' ', copy),
        h('p', { class: 'hint' }, result.instructions),
        h('p', { class: 'hint' }, `有效期至 ${fmtTime(result.expiresAt)}，只能使用一次。绑定成功后点“刷新”即可在上面的列表中看到该群。`),
      )
      box.hidden = false
    })
  })
}

function setupEditForm() {
  const edit = $('#group-edit-form')
  $('[data-action="cancel-edit"]', edit).addEventListener('click', () => {
    edit.elements.namedItem('pushKey').value = ''
    edit.hidden = true
  })
  edit.addEventListener('submit', (event) => {
    event.preventDefault()
    const id = edit.elements.namedItem('id').value
    const patch = {
      name: trimmed(edit, 'name'),
      purpose: edit.elements.namedItem('purpose').value,
      summaryEnabled: edit.elements.namedItem('summaryEnabled').checked,
    }
    const summaryTime = trimmed(edit, 'summaryTime')
    if (summaryTime) patch.summaryTime = summaryTime
    const pushKey = trimmed(edit, 'pushKey')
    if (edit.elements.namedItem('removePushKey').checked) patch.pushKey = null
    else if (pushKey) patch.pushKey = pushKey
    // The push key is a credential: gone from the page as soon as it is read.
    edit.elements.namedItem('pushKey').value = ''
    submitting(edit, async () => {
      await api('PATCH', `/groups/${encodeURIComponent(id)}`, patch)
      edit.hidden = true
      flash('群组已更新。', 'success')
      reloadTab()
    })
  })
}

function setupCreateForm() {
  const create = $('#group-form')
  create.elements.namedItem('platform').addEventListener('change', fillConnectionSelect)
  create.addEventListener('submit', (event) => {
    event.preventDefault()
    const tenantId = state.tenant?.id
    if (!tenantId) return
    const platform = create.elements.namedItem('platform').value
    const body = { platform, externalId: trimmed(create, 'externalId'), name: trimmed(create, 'name'), purpose: create.elements.namedItem('purpose').value }
    const connectionId = create.elements.namedItem('connectionId').value
    if (connectionId) body.connectionId = connectionId
    const pushKey = trimmed(create, 'pushKey')
    if (platform === 'wecom' && pushKey) body.pushKey = pushKey
    const summaryTime = trimmed(create, 'summaryTime')
    if (summaryTime) body.summaryTime = summaryTime
    create.elements.namedItem('pushKey').value = ''
    submitting(create, async () => {
      const group = await api('POST', `/tenants/${encodeURIComponent(tenantId)}/groups`, body)
      create.reset()
      fillOptions(create.elements.namedItem('purpose'), 'purpose')
      fillConnectionSelect()
      $('#group-create').open = false
      flash(`已绑定群“${group.name}”。`, 'success')
      reloadTab()
    })
  })
}

export function setup() {
  for (const select of $$('select[data-options="purpose"]')) fillOptions(select, 'purpose')
  setupBindingForm()
  setupEditForm()
  setupCreateForm()
}
