// Lark and WeCom connections: list, create, disable and enable.

import { api } from '../lib/api.js'
import { copyRow } from '../lib/clipboard.js'
import { $, $$, emptyNote, en, h } from '../lib/dom.js'
import { flash, reportError } from '../lib/flash.js'
import { loadInto, submitting, trimmed } from '../lib/forms.js'
import { fmtTime } from '../lib/format.js'
import { label } from '../lib/labels.js'
import { reloadTab } from '../lib/nav.js'
import { state } from '../lib/state.js'
import { fillConnectionSelect } from './groups.js'

export function show(tenantId) {
  return loadInto($('#connection-list'), () => loadConnections(tenantId))
}

/** Another tenant opened: the last tenant's "created" note goes. */
export function forget() {
  $('#connection-created').hidden = true
}

async function loadConnections(tenantId) {
  state.connections = await api('GET', `/tenants/${encodeURIComponent(tenantId)}/connections`)
  fillConnectionSelect()
  if (!state.connections.length) return emptyNote('还没有平台连接。请在下面新建飞书或企业微信连接。 No connections yet.')
  return h('div', {}, state.connections.map(connectionCard))
}

function connectionCard(connection) {
  const webhook = connection.mode === 'webhook'
  return h(
    'div',
    { class: `conn${connection.enabled ? '' : ' disabled'}` },
    h(
      'h4',
      {},
      connection.name,
      h('span', { class: 'tag' }, label('platform', connection.platform)),
      h('span', { class: 'tag' }, label('mode', connection.mode)),
      connection.enabled ? h('span', { class: 'tag on' }, '已启用 enabled') : h('span', { class: 'tag off' }, `已停用 disabled · ${fmtTime(connection.disabledAt)}`),
    ),
    h('div', { class: 'meta' }, connection.appId ? `App/Bot ID：${connection.appId} · ` : '', `创建于 ${fmtTime(connection.createdAt)} · ID `, h('code', {}, connection.id)),
    webhook ? h('div', {}, h('strong', {}, '回调地址 '), en('Webhook URL — 复制到平台后台'), copyRow(connection.webhookUrl)) : null,
    h('p', { class: 'instructions' }, connection.instructions),
    connection.enabled
      ? h('button', { type: 'button', class: 'danger small', onclick: (event) => disableConnection(connection, event.target) }, '停用 Disable')
      : h('button', { type: 'button', class: 'small', onclick: (event) => enableConnection(connection, event.target) }, '重新启用 Enable'),
  )
}

async function disableConnection(connection, button) {
  const ok = confirm(`确定停用连接“${connection.name}”吗？\n停用后该连接将不再收发消息，之后可在此页面重新启用。`)
  if (!ok) return
  button.disabled = true
  try {
    await api('POST', `/connections/${encodeURIComponent(connection.id)}/disable`)
    flash(`已停用连接“${connection.name}”。`, 'success')
  } catch (error) {
    reportError(error)
  }
  reloadTab()
}

async function enableConnection(connection, button) {
  button.disabled = true
  try {
    await api('POST', `/connections/${encodeURIComponent(connection.id)}/enable`)
    flash(`已重新启用连接“${connection.name}”。`, 'success')
  } catch (error) {
    reportError(error)
  }
  reloadTab()
}

/** Only the chosen platform's credentials are shown, required and sent. */
function syncConnectionForm(form) {
  const platform = form.elements.namedItem('platform').value
  for (const set of $$('fieldset[data-platform]', form)) {
    const active = set.dataset.platform === platform
    set.hidden = !active
    // A disabled fieldset's inputs are neither required nor submitted.
    set.disabled = !active
  }
}

export function setup() {
  const form = $('#connection-form')
  form.elements.namedItem('platform').addEventListener('change', () => syncConnectionForm(form))
  syncConnectionForm(form)
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const tenantId = state.tenant?.id
    if (!tenantId) return
    const platform = form.elements.namedItem('platform').value
    const credentials = {}
    for (const el of $$(`fieldset[data-platform="${platform}"] [name^="credentials."]`, form)) {
      const value = el.value.trim()
      if (value) credentials[el.name.slice('credentials.'.length)] = value
    }
    const body = { platform, mode: form.elements.namedItem('mode').value, name: trimmed(form, 'name'), credentials }
    // Credentials leave the page with this request and nowhere else: empty every typed field now.
    for (const el of $$('input[name^="credentials."]', form)) el.value = ''
    submitting(form, async () => {
      const connection = await api('POST', `/tenants/${encodeURIComponent(tenantId)}/connections`, body)
      form.reset()
      syncConnectionForm(form)
      $('#connection-create').open = false
      const box = $('#connection-created')
      box.replaceChildren(
        h('strong', {}, `已创建连接“${connection.name}”。`),
        connection.mode === 'webhook' ? h('div', {}, '请把下面的回调地址填入平台后台：', copyRow(connection.webhookUrl)) : null,
        h('p', { class: 'instructions' }, connection.instructions),
      )
      box.hidden = false
      reloadTab()
    }, () => {
      // Say plainly why the secret fields are empty again.
      $('.form-status', form).append(h('div', { class: 'notice info' }, '出于安全考虑，已清空填写的凭据，请重新填写后提交。'))
    })
  })
}
