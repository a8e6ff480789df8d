// Workspace logins: one per staff member, created and reset here.

import { api } from '../lib/api.js'
import { $, emptyNote, h, table } from '../lib/dom.js'
import { flash } from '../lib/flash.js'
import { clearFormErrors, loadInto, submitting, trimmed } from '../lib/forms.js'
import { fmtTime } from '../lib/format.js'
import { label } from '../lib/labels.js'
import { reloadTab } from '../lib/nav.js'
import { state } from '../lib/state.js'

const STAFF_ROLES = ['agent', 'technician', 'supervisor', 'admin']

export function show(tenantId) {
  return loadInto($('#workspace-login-list'), () => loadLogins(tenantId))
}

async function loadLogins(tenantId) {
  const id = encodeURIComponent(tenantId)
  const [logins, members] = await Promise.all([api('GET', `/tenants/${id}/logins`), api('GET', `/tenants/${id}/members`)])
  const withLogin = new Set(logins.map((login) => login.memberId))
  // Customers never sign in to the workspace, so only active staff without a login are offered.
  const candidates = members.filter((member) => member.active && !withLogin.has(member.id) && member.roles.some((role) => STAFF_ROLES.includes(role)))
  fillMemberSelect($('#workspace-login-form select[name="memberId"]'), candidates.map((member) => [member.id, `${member.name}（${member.roles.map((role) => label('roles', role)).join('、')}）`]), '没有可创建登录的成员 No staff member without a login')
  fillMemberSelect($('#workspace-login-reset-form select[name="memberId"]'), logins.map((login) => [login.memberId, `${login.name} · ${login.username}`]), '还没有登录 No logins yet')
  if (!logins.length) return emptyNote('还没有工作台登录。请在下方为主管或客服创建。 No workspace logins yet.')
  return table(
    ['姓名 Name', '用户名 Username', '角色 Roles', '状态 State', '上次登录 Last sign-in', '密码修改 Password set', ''],
    logins.map((login) =>
      h(
        'tr',
        { 'data-login': login.username },
        h('td', {}, login.name),
        h('td', { class: 'wrap' }, h('code', {}, login.username)),
        h('td', {}, login.roles.map((role) => h('span', { class: 'tag' }, label('roles', role)))),
        h(
          'td',
          {},
          login.locked
            ? h('span', { class: 'tag warn' }, `已锁定至 ${fmtTime(login.lockedUntil)} locked`)
            : login.active
              ? h('span', { class: 'tag on' }, '可登录 active')
              : h('span', { class: 'tag off' }, '成员已停用 inactive'),
        ),
        h('td', {}, login.lastSignInAt ? fmtTime(login.lastSignInAt) : '从未登录 never'),
        h('td', {}, fmtTime(login.passwordChangedAt)),
        h('td', { class: 'actions' }, h('button', { type: 'button', class: 'secondary small', onclick: () => startReset(login) }, '重置密码 Reset')),
      ),
    ),
  )
}

function fillMemberSelect(select, options, emptyText) {
  select.replaceChildren(...(options.length ? options.map(([value, text]) => h('option', { value }, text)) : [h('option', { value: '' }, emptyText)]))
}

function startReset(login) {
  const form = $('#workspace-login-reset-form')
  clearFormErrors(form)
  form.elements.namedItem('memberId').value = login.memberId
  $('#workspace-login-reset').open = true
  form.elements.namedItem('password').focus()
}

export function setup() {
  const create = $('#workspace-login-form')
  create.addEventListener('submit', (event) => {
    event.preventDefault()
    const memberId = create.elements.namedItem('memberId').value
    if (!state.tenant || !memberId) return
    submitting(create, async () => {
      const login = await api('POST', `/members/${encodeURIComponent(memberId)}/login`, { username: trimmed(create, 'username'), password: create.elements.namedItem('password').value })
      create.reset()
      flash(`已创建登录“${login.username}”。请把用户名和初始密码当面告诉该成员。`, 'success')
      reloadTab()
    })
  })
  const reset = $('#workspace-login-reset-form')
  reset.addEventListener('submit', (event) => {
    event.preventDefault()
    const memberId = reset.elements.namedItem('memberId').value
    if (!state.tenant || !memberId) return
    submitting(reset, async () => {
      const login = await api('POST', `/members/${encodeURIComponent(memberId)}/login/password`, { password: reset.elements.namedItem('password').value })
      reset.reset()
      flash(`已重置“${login.username}”的密码：锁定已解除，该成员已在所有设备上退出。`, 'success')
      reloadTab()
    })
  })
}
