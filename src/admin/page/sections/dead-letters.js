// Messages that could not be delivered after every retry (the latest 100).

import { api } from '../lib/api.js'
import { $, emptyNote, h, table } from '../lib/dom.js'
import { loadInto } from '../lib/forms.js'
import { fmtTime } from '../lib/format.js'
import { label } from '../lib/labels.js'
import { state } from '../lib/state.js'

export function show(tenantId) {
  return loadInto($('#dead-letter-list'), () => loadDeadLetters(tenantId))
}

async function loadDeadLetters(tenantId) {
  const [rows, groups] = await Promise.all([
    api('GET', `/tenants/${encodeURIComponent(tenantId)}/dead-letters?limit=100`),
    state.groups.length ? state.groups : api('GET', `/tenants/${encodeURIComponent(tenantId)}/groups`),
  ])
  state.groups = groups
  if (!rows.length) return emptyNote('没有投递失败的消息。 No dead letters.')
  const groupName = (id) => groups.find((group) => group.id === id)?.name ?? id ?? '—'
  return table(
    ['时间 Created', '平台', '群 Group', '目的地 Destination', '尝试次数', '最后错误 Last error'],
    rows.map((row) =>
      h(
        'tr',
        {},
        h('td', {}, fmtTime(row.createdAt)),
        h('td', {}, label('platform', row.platform)),
        h('td', {}, groupName(row.groupId)),
        h('td', { class: 'wrap' }, row.destination),
        h('td', {}, String(row.attempts)),
        h('td', { class: 'data' }, row.lastError ?? '—'),
      ),
    ),
  )
}
