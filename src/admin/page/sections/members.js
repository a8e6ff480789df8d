// Members: list, add or update (same platform and user id), deactivate and activate.

import { api } from '../lib/api.js'
import { $, $$, emptyNote, h, table } from '../lib/dom.js'
import { flash, reportError } from '../lib/flash.js'
import { aliasList, clearFormErrors, loadInto, submitting, trimmed } from '../lib/forms.js'
import { LABELS, label } from '../lib/labels.js'
import { reloadTab } from '../lib/nav.js'
import { state } from '../lib/state.js'

export function show(tenantId) {
  return loadInto($('#member-list'), () => loadMembers(tenantId))
}

async function loadMembers(tenantId) {
  const members = await api('GET', `/tenants/${encodeURIComponent(tenantId)}/members`)
  if (!members.length) return emptyNote('还没有成员。请先添加第一位管理员（admin）。 No members yet.')
  return table(
    ['姓名 Name', '别名 Aliases', '平台', '用户 ID', '角色 Roles', '电话', '状态', ''],
    members.map((member) =>
      h(
        'tr',
        {},
        h('td', {}, member.name),
        h('td', {}, member.aliases.length ? member.aliases.join('、') : '—'),
        h('td', {}, label('platform', member.platform)),
        h('td', { class: 'wrap' }, member.externalUserId),
        h('td', {}, member.roles.map((role) => h('span', { class: 'tag' }, label('roles', role)))),
        h('td', {}, member.phone ?? '—'),
        h('td', {}, member.active ? h('span', { class: 'tag on' }, '在用 active') : h('span', { class: 'tag off' }, '停用 inactive')),
        h(
          'td',
          { class: 'actions' },
          h('button', { type: 'button', class: 'secondary small', onclick: () => editMember(member) }, '修改 Edit'),
          member.active
            ? h('button', { type: 'button', class: 'danger small', onclick: (event) => setMemberActive(member, false, event.target) }, '停用 Deactivate')
            : h('button', { type: 'button', class: 'small', onclick: (event) => setMemberActive(member, true, event.target) }, '启用 Activate'),
        ),
      ),
    ),
  )
}

/** Inactive members keep their history but are no longer @-mentioned or assigned work. */
async function setMemberActive(member, active, button) {
  button.disabled = true
  try {
    if (active) await api('POST', `/members/${encodeURIComponent(member.id)}/activate`)
    else await api('POST', `/members/${encodeURIComponent(member.id)}/deactivate`)
    flash(active ? `已启用成员“${member.name}”。` : `已停用成员“${member.name}”：之后不会再被提醒 @ 或被指派工单。`, 'success')
  } catch (error) {
    reportError(error)
  }
  reloadTab()
}

function editMember(member) {
  const form = $('#member-form')
  clearFormErrors(form)
  form.elements.namedItem('platform').value = member.platform
  form.elements.namedItem('externalUserId').value = member.externalUserId
  form.elements.namedItem('name').value = member.name
  form.elements.namedItem('phone').value = member.phone ?? ''
  form.elements.namedItem('aliases').value = member.aliases.join(', ')
  for (const box of $$('input[name="roles"]', form)) box.checked = member.roles.includes(box.value)
  $('#member-create').open = true
  form.scrollIntoView({ behavior: 'smooth', block: 'nearest' })
}

export function setup() {
  const form = $('#member-form')
  $('[data-options="roles"]', form).replaceChildren(
    ...Object.entries(LABELS.roles).map(([value, text]) => h('label', {}, h('input', { type: 'checkbox', name: 'roles', value }), ' ', text)),
  )
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const tenantId = state.tenant?.id
    if (!tenantId) return
    submitting(form, async () => {
      const body = {
        platform: form.elements.namedItem('platform').value,
        externalUserId: trimmed(form, 'externalUserId'),
        name: trimmed(form, 'name'),
        roles: $$('input[name="roles"]:checked', form).map((el) => el.value),
        aliases: aliasList(form, 'aliases'),
      }
      const phone = trimmed(form, 'phone')
      if (phone) body.phone = phone
      const member = await api('POST', `/tenants/${encodeURIComponent(tenantId)}/members`, body)
      form.reset()
      flash(`已保存成员“${member.name}”。`, 'success')
      reloadTab()
    })
  })
}
