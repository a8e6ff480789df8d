// The latest 200 admin actions on the tenant.

import { api } from '../lib/api.js'
import { $, emptyNote, h, table } from '../lib/dom.js'
import { loadInto } from '../lib/forms.js'
import { fmtTime } from '../lib/format.js'
import { LABELS } from '../lib/labels.js'

export function show(tenantId) {
  return loadInto($('#audit-list'), () => loadAudit(tenantId))
}

async function loadAudit(tenantId) {
  const rows = await api('GET', `/tenants/${encodeURIComponent(tenantId)}/audit?limit=200`)
  if (!rows.length) return emptyNote('暂无操作记录。 No entries.')
  return table(
    ['时间 At', '操作 Action', '操作者 Actor', '对象 Target', '详情 Data'],
    rows.map((row) =>
      h(
        'tr',
        {},
        h('td', {}, fmtTime(row.at)),
        h('td', {}, LABELS.action[row.action] ?? row.action, h('div', { class: 'meta' }, row.action)),
        h('td', { class: 'wrap' }, row.actor),
        h('td', { class: 'wrap' }, row.target ?? '—'),
        h('td', { class: 'data' }, row.data && Object.keys(row.data).length ? JSON.stringify(row.data) : '—'),
      ),
    ),
  )
}
