// The tenant list, the new-tenant form and the header of the tenant on screen.

import { api } from '../lib/api.js'
import { businessHoursText, dateList } from '../lib/calendar.js'
import { $, $$, emptyNote, h, table } from '../lib/dom.js'
import { flash } from '../lib/flash.js'
import { submitting, trimmed } from '../lib/forms.js'
import { fmtTime } from '../lib/format.js'
import { openTenant } from '../lib/nav.js'
import { state } from '../lib/state.js'

export async function loadTenants() {
  state.tenants = await api('GET', '/tenants')
  renderTenants()
}

export function renderTenants() {
  const list = $('#tenant-list')
  if (!state.tenants.length) {
    list.replaceChildren(emptyNote('还没有租户，请先在下面新建一个。 No tenants yet.'))
    $('#tenant-create').open = true
    return
  }
  list.replaceChildren(
    table(
      ['名称 Name', '时区 Time zone', '工作时间 Hours', '创建于 Created', ''],
      state.tenants.map((tenant) =>
        h(
          'tr',
          { class: state.tenant?.id === tenant.id ? 'selected' : null },
          h('td', {}, tenant.name, ' ', tenant.demo ? h('span', { class: 'tag warn' }, '演示 demo') : null),
          h('td', {}, tenant.timeZone),
          h('td', {}, businessHoursText(tenant.businessHours)),
          h('td', {}, fmtTime(tenant.createdAt)),
          h('td', {}, h('button', { type: 'button', class: 'small', onclick: () => openTenant(tenant.id) }, '管理 Open')),
        ),
      ),
    ),
  )
}

export function renderTenantHeader() {
  const tenant = state.tenant
  $('#tenant-title').replaceChildren(tenant.name, ' ', tenant.demo ? h('span', { class: 'tag warn' }, '演示 demo') : '')
  $('#tenant-meta').replaceChildren(
    `时区 ${tenant.timeZone} · 工作时间 ${businessHoursText(tenant.businessHours)} · 节假日 ${tenant.holidays?.length ?? 0} 天 · ID `,
    h('code', {}, tenant.id),
  )
}

export function setup() {
  const form = $('#tenant-form')
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    submitting(form, async () => {
      const body = { name: trimmed(form, 'name') }
      const zone = trimmed(form, 'timeZone')
      if (zone) body.timeZone = zone
      const days = $$('input[name="businessHours.days"]:checked', form).map((el) => Number(el.value))
      if (days.length) body.businessHours = { days, start: trimmed(form, 'businessHours.start'), end: trimmed(form, 'businessHours.end') }
      const holidays = dateList(form, 'holidays')
      if (holidays.length) body.holidays = holidays
      const tenant = await api('POST', '/tenants', body)
      form.reset()
      $('#tenant-create').open = false
      flash(`已创建租户“${tenant.name}”。`, 'success')
      await loadTenants()
      openTenant(tenant.id)
    })
  })
}
