// Departments complaints are handed to: heads, work group and time limits.

import { api } from '../lib/api.js'
import { $, $$, emptyNote, h, table } from '../lib/dom.js'
import { flash, reportError } from '../lib/flash.js'
import { aliasList, clearFormErrors, loadInto, numberField, submitting, trimmed } from '../lib/forms.js'
import { label } from '../lib/labels.js'
import { reloadTab } from '../lib/nav.js'
import { state } from '../lib/state.js'

/** Active members and groups of the tenant, for the form's choices. */
let choices = null
/** The department the form edits (PATCH), or null to create one. */
let editing = null

export function show(tenantId) {
  return loadInto($('#department-list'), () => loadDepartments(tenantId))
}

/** Another tenant opened: nothing of the last one may stay in the form. */
export function forget() {
  choices = null
  resetDepartmentForm($('#department-form'))
}

async function loadDepartments(tenantId) {
  const id = encodeURIComponent(tenantId)
  const [departments, members, groups] = await Promise.all([
    api('GET', `/tenants/${id}/departments`),
    api('GET', `/tenants/${id}/members`),
    api('GET', `/tenants/${id}/groups`),
  ])
  choices = { members: members.filter((member) => member.active), groups }
  fillDepartmentChoices($('#department-form'))
  if (!departments.length) return emptyNote('还没有部门。投诉转交前请先建立部门（如工程部、保洁部）。 No departments yet.')
  const memberName = (memberId) => members.find((member) => member.id === memberId)?.name ?? '（已删除）'
  const groupName = (groupId) => groups.find((group) => group.id === groupId)?.name ?? '—'
  const limit = (hours) => (typeof hours === 'number' ? `${hours} 小时` : '默认')
  return table(
    ['名称 Name', '别名 Aliases', '负责人 Heads', '工作群 Group', '有效投诉 Effective', '沟通性 Communication', ''],
    departments.map((department) =>
      h(
        'tr',
        {},
        h('td', {}, department.name),
        h('td', {}, department.aliases.length ? department.aliases.join('、') : '—'),
        h('td', {}, department.headIds.length ? department.headIds.map(memberName).join('、') : '—'),
        h('td', {}, department.groupId ? groupName(department.groupId) : '—'),
        h('td', {}, limit(department.limitHours?.effective)),
        h('td', {}, limit(department.limitHours?.communication)),
        h(
          'td',
          { class: 'actions' },
          h('button', { type: 'button', class: 'secondary small', onclick: () => editDepartment(department) }, '修改 Edit'),
          h('button', { type: 'button', class: 'danger small', onclick: (event) => deleteDepartment(department, event.target) }, '删除 Delete'),
        ),
      ),
    ),
  )
}

function fillDepartmentChoices(form) {
  const { members, groups } = choices ?? { members: [], groups: [] }
  const checked = new Set($$('input[name="headIds"]:checked', form).map((el) => el.value))
  $('[data-options="heads"]', form).replaceChildren(
    ...(members.length
      ? members.map((member) => h('label', {}, h('input', { type: 'checkbox', name: 'headIds', value: member.id, checked: checked.has(member.id) || null }), ' ', member.name))
      : [emptyNote('还没有成员。 No members yet.')]),
  )
  const select = form.elements.namedItem('groupId')
  const current = select.value
  select.replaceChildren(h('option', { value: '' }, '（无 none）'), ...groups.map((group) => h('option', { value: group.id }, `${group.name}（${label('purpose', group.purpose)}）`)))
  select.value = current
}

function resetDepartmentForm(form) {
  form.reset()
  editing = null
  clearFormErrors(form)
}

function editDepartment(department) {
  const form = $('#department-form')
  resetDepartmentForm(form)
  editing = department.id
  form.elements.namedItem('name').value = department.name
  form.elements.namedItem('aliases').value = department.aliases.join(', ')
  for (const box of $$('input[name="headIds"]', form)) box.checked = department.headIds.includes(box.value)
  form.elements.namedItem('groupId').value = department.groupId ?? ''
  form.elements.namedItem('limitHours.effective').value = department.limitHours?.effective ?? ''
  form.elements.namedItem('limitHours.communication').value = department.limitHours?.communication ?? ''
  $('#department-create').open = true
  form.scrollIntoView({ behavior: 'smooth', block: 'nearest' })
}

async function deleteDepartment(department, button) {
  if (!confirm(`删除部门“${department.name}”？已转交的投诉保留记录，只是不再属于任何部门。`)) return
  button.disabled = true
  try {
    await api('DELETE', `/departments/${encodeURIComponent(department.id)}`)
    flash(`已删除部门“${department.name}”。`, 'success')
  } catch (error) {
    reportError(error)
  }
  reloadTab()
}

export function setup() {
  const form = $('#department-form')
  $('[data-action="new-department"]', form).addEventListener('click', () => resetDepartmentForm(form))
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const tenantId = state.tenant?.id
    if (!tenantId) return
    submitting(form, async () => {
      const limitHours = {}
      for (const kind of ['effective', 'communication']) {
        const value = numberField(form, `limitHours.${kind}`)
        if (value !== undefined) limitHours[kind] = value
      }
      const body = {
        name: trimmed(form, 'name'),
        aliases: aliasList(form, 'aliases'),
        headIds: $$('input[name="headIds"]:checked', form).map((el) => el.value),
        limitHours,
      }
      const groupId = form.elements.namedItem('groupId').value
      const department = editing
        ? await api('PATCH', `/departments/${encodeURIComponent(editing)}`, { ...body, groupId: groupId || null })
        : await api('POST', `/tenants/${encodeURIComponent(tenantId)}/departments`, groupId ? { ...body, groupId } : body)
      resetDepartmentForm(form)
      flash(`已保存部门“${department.name}”。`, 'success')
      reloadTab()
    })
  })
}
