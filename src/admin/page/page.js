// frontdesk admin page. Plain browser JavaScript (no build step) that talks only to /admin/api on
// this same server. Every API call goes through api(method, path, body) with a literal path, so
// test/admin/page.test.ts can check that each path the page uses really exists.
// All data is rendered with textContent / DOM nodes, never innerHTML, so names typed into chat
// platforms cannot inject markup into the admin's browser.

const API = '/admin/api'
const TOKEN_KEY = 'frontdesk.adminToken'

const LABELS = {
  platform: { lark: '飞书 Lark', wecom: '企业微信 WeCom', console: '控制台 console' },
  mode: { webhook: '回调地址 webhook', long_connection: '长连接 long connection' },
  purpose: { front_desk: '前台 front desk', maintenance: '维修 maintenance', management: '管理 management', customer_service: '客服 customer service' },
  roles: { customer: '客户 customer', agent: '前台/客服 agent', technician: '维修师傅 technician', supervisor: '主管 supervisor', admin: '管理员 admin' },
  action: {
    'tenant.create': '创建租户',
    'tenant.update': '修改租户设置',
    'connection.create': '新建平台连接',
    'connection.disable': '停用平台连接',
    'connection.enable': '重新启用平台连接',
    'group.create': '手动绑定群组',
    'group.bind': '群内绑定码绑定',
    'group.update': '修改群组',
    'group.unbind': '解绑群组',
    'binding_code.create': '生成绑定码',
    'member.create': '添加成员',
    'member.update': '更新成员',
    'member.deactivate': '停用成员',
    'member.activate': '启用成员',
    'login.create': '创建工作台登录',
    'login.reset_password': '重置工作台密码',
    'department.create': '新建部门',
    'department.update': '修改部门',
    'department.delete': '删除部门',
    'resource.create': '新建预约资源',
    'resource.update': '修改预约资源',
    'resource.deactivate': '停用预约资源',
    'resource.activate': '启用预约资源',
  },
  kind: { room: '会议室 room', venue: '场地 venue', court: '球场 court', hotel_room: '客房 hotel room', bed: '养老床位 bed', service: '上门服务 service' },
  weekday: ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'],
}

// Chinese names for the field paths the API reports in 400 answers; unknown ones show as sent.
const FIELD_LABELS = {
  name: '名称',
  timeZone: '时区',
  businessHours: '工作时间',
  'businessHours.days': '工作日',
  'businessHours.start': '工作开始时间',
  'businessHours.end': '工作结束时间',
  holidays: '休息日',
  extraWorkdays: '额外上班日',
  officialHolidays: '国家法定节假日',
  username: '用户名',
  password: '密码',
  headIds: '负责人',
  groupId: '工作群',
  limitHours: '处理时限',
  'limitHours.effective': '有效投诉处理时限',
  'limitHours.communication': '沟通性投诉处理时限',
  kind: '类型',
  capacity: '同时可预约数',
  opensAt: '开放时间',
  closesAt: '关闭时间',
  slotMinutes: '起订间隔',
  defaultMinutes: '默认时长',
  bufferBeforeMinutes: '前置缓冲',
  bufferAfterMinutes: '后置缓冲',
  minNoticeMinutes: '最少提前',
  maxAdvanceDays: '最多提前天数',
  depositRequired: '定金',
  priceCents: '价格',
  prepRoles: '准备角色',
  'policy.clocks': '计时方式',
  'policy.clocks.resolve': '完成时限计时方式',
  platform: '平台',
  mode: '接入方式',
  'credentials.appId': 'App ID',
  'credentials.appSecret': 'App Secret',
  'credentials.verificationToken': 'Verification Token',
  'credentials.encryptKey': 'Encrypt Key',
  'credentials.domain': '版本',
  'credentials.token': 'Token',
  'credentials.encodingAESKey': 'EncodingAESKey',
  'credentials.receiveId': 'Receive ID',
  'credentials.botId': 'Bot ID',
  'credentials.botSecret': 'Bot Secret',
  connectionId: '连接',
  externalId: '群 ID',
  purpose: '用途',
  pushKey: '推送 key',
  summaryTime: '汇总时间',
  summaryEnabled: '每日汇总',
  externalUserId: '用户 ID',
  roles: '角色',
  phone: '电话',
  aliases: '别名',
  policy: '时限',
  'policy.onSiteMinutes': '到场时限',
  'policy.unassignedAlertMinutes': '无人接单提醒',
  'policy.assigneeReminderMinutes': '催办负责人',
  'policy.appointmentReminderMinutesBefore': '预约提前提醒',
  'policy.appointmentGraceMinutes': '预约到场宽限',
  'policy.resolveHours': '完成时限',
  'policy.resolveHours.urgent': '紧急完成时限',
  'policy.resolveHours.high': '高优先级完成时限',
  'policy.resolveHours.normal': '普通完成时限',
  'policy.resolveHours.low': '低优先级完成时限',
  body: '请求内容',
}

const state = {
  tenants: [],
  tenant: null,
  tab: 'connections',
  connections: [],
  groups: [],
  /** The tenant's policy as last loaded ({ tenantId, overrides, defaults }); the settings form saves from it. */
  policy: null,
  /** Active members and groups of the tenant, for the department form's choices. */
  departmentChoices: null,
  /** The department the form edits (PATCH), or null to create one. */
  editingDepartment: null,
  /** The resource the form edits (PATCH), or null to create one. */
  editingResource: null,
}

// ---------------------------------------------------------------------------------------------
// Small DOM helpers

const $ = (selector, root = document) => root.querySelector(selector)
const $$ = (selector, root = document) => [...root.querySelectorAll(selector)]

/** Builds an element; string children become text nodes (never parsed as HTML). */
function h(tag, props = {}, ...children) {
  const el = document.createElement(tag)
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue
    if (key === 'class') el.className = value
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value)
    else if (key === 'value') el.value = value
    else el.setAttribute(key, value === true ? '' : String(value))
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue
    el.append(child instanceof Node ? child : String(child))
  }
  return el
}

const en = (text) => h('span', { class: 'en' }, text)
const label = (kind, value) => LABELS[kind]?.[value] ?? value ?? '—'

function table(headers, rows) {
  return h('table', {}, h('thead', {}, h('tr', {}, headers.map((title) => h('th', {}, title)))), h('tbody', {}, rows))
}

function emptyNote(text) {
  return h('p', { class: 'empty' }, text)
}

function fmtTime(iso) {
  if (!iso) return '—'
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  const options = { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false }
  try {
    // Times are shown in the tenant's own zone: that is the clock its staff live by.
    return new Intl.DateTimeFormat('zh-CN', { ...options, timeZone: state.tenant?.timeZone }).format(date)
  } catch {
    return new Intl.DateTimeFormat('zh-CN', options).format(date)
  }
}

let flashCount = 0
function flash(message, kind = 'info') {
  const box = $('#flash')
  const shown = ++flashCount
  box.replaceChildren(h('div', { class: `notice ${kind}` }, message))
  // Successes fade; errors stay until the next message so they can be read.
  if (kind !== 'error') setTimeout(() => shown === flashCount && box.replaceChildren(), 6000)
}

/** For actions outside a form: a 401 is already explained on the sign-in screen. */
function reportError(error) {
  if (!(error instanceof ApiError && error.status === 401)) flash(describeError(error), 'error')
}

async function copyText(text, button) {
  let copied = false
  try {
    await navigator.clipboard.writeText(text)
    copied = true
  } catch {
    // navigator.clipboard needs https or localhost; fall back to the old selection copy.
    const area = h('textarea', { readonly: true, class: 'offscreen' })
    area.value = text
    document.body.append(area)
    area.select()
    try {
      copied = document.execCommand('copy')
    } catch {
      copied = false
    }
    area.remove()
  }
  if (copied) {
    const before = button.textContent
    button.textContent = '已复制 ✓'
    setTimeout(() => (button.textContent = before), 1500)
  } else {
    flash('无法自动复制，请选中文字后按 Ctrl+C 复制。', 'info')
  }
}

function copyRow(value) {
  const input = h('input', { readonly: true, value, spellcheck: 'false', onfocus: (event) => event.target.select() })
  const button = h('button', { type: 'button', class: 'secondary small', onclick: () => copyText(value, button) }, '复制')
  return h('div', { class: 'copy-row' }, input, button)
}

// ---------------------------------------------------------------------------------------------
// API access and error display

class ApiError extends Error {
  constructor(status, body, retryAfter) {
    super(body?.error ?? `HTTP ${status}`)
    this.status = status
    this.body = body ?? {}
    this.retryAfter = retryAfter
  }
}

const token = () => sessionStorage.getItem(TOKEN_KEY)

async function api(method, path, body) {
  const headers = { accept: 'application/json' }
  const current = token()
  if (current) headers.authorization = `Bearer ${current}`
  // Fastify refuses an empty body sent as JSON, so body-less posts carry no content type.
  if (body !== undefined) headers['content-type'] = 'application/json'
  let response
  try {
    response = await fetch(API + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    })
  } catch {
    throw new ApiError(0, { error: 'network error' })
  }
  const text = await response.text()
  let data = null
  try {
    data = text ? JSON.parse(text) : null
  } catch {
    data = { error: text.slice(0, 200) }
  }
  if (!response.ok) {
    const error = new ApiError(response.status, data, response.headers.get('retry-after'))
    if (response.status === 401) signOut(describeError(error))
    throw error
  }
  return data
}

/** One polite sentence (plus field list) for any failed call. */
function describeError(error) {
  if (!(error instanceof ApiError)) return h('span', {}, '页面出错：', String(error?.message ?? error))
  const { status, body } = error
  const detail = [body.error ? h('code', {}, body.error) : null, body.hint ? h('span', {}, '（', body.hint, '）') : null]
  switch (status) {
    case 0:
      return h('span', {}, '无法连接服务器，请检查网络或服务是否在运行。', en('Network error.'))
    case 400: {
      const fields = Array.isArray(body.fields) ? body.fields : []
      return h(
        'span',
        {},
        '提交的内容有误，请修改后重试。',
        en('Invalid request.'),
        fields.length
          ? h('ul', {}, fields.map((f) => h('li', {}, h('strong', {}, FIELD_LABELS[f.field] ?? f.field), ' ', en(f.field), '：', f.message)))
          : h('div', {}, detail),
      )
    }
    case 401:
      return h('span', {}, '管理令牌不正确或已更换，请重新输入。', en('Unauthorized.'))
    case 404:
      return h('span', {}, '找不到该对象，可能已被删除或 ID 有误：', detail, en(' Not found.'))
    case 409:
      return h('span', {}, '操作冲突：', detail, en(' Conflict.'))
    case 429: {
      const seconds = Number(error.retryAfter)
      const wait = Number.isFinite(seconds) && seconds > 0 ? `约 ${Math.ceil(seconds / 60)} 分钟` : '几分钟'
      return h('span', {}, `令牌错误次数过多，已暂时锁定，请等待${wait}后再试。`, en('Too many failed attempts.'))
    }
    case 503:
      return h('span', {}, '管理接口未启用：请在服务器上设置 ADMIN_TOKEN。', en('Admin API disabled.'))
    default:
      return h('span', {}, `服务器出错（${status}），请稍后重试或查看服务日志。`, detail)
  }
}

function clearFormErrors(form) {
  $$('.field-error', form).forEach((el) => el.remove())
  $$('[aria-invalid]', form).forEach((el) => el.removeAttribute('aria-invalid'))
  const status = $('.form-status', form)
  if (status) status.replaceChildren()
}

/** The input (or group of inputs) for a field path; `holidays.3` falls back to `holidays`, and so on. */
function fieldTarget(form, field) {
  for (let path = field; path; path = path.includes('.') ? path.slice(0, path.lastIndexOf('.')) : '') {
    const found = form.querySelector(`[data-field="${CSS.escape(path)}"]`) ?? form.elements.namedItem(path)
    if (found) return found
  }
  return null
}

/** Marks each field the API named next to its input; the whole message also goes to the form's status box. */
function showFormError(form, error) {
  if (error instanceof ApiError && error.status === 401) return // signOut already explained it
  clearFormErrors(form)
  const fields = error instanceof ApiError && Array.isArray(error.body.fields) ? error.body.fields : []
  for (const problem of fields) {
    const target = fieldTarget(form, problem.field)
    const el = target instanceof RadioNodeList ? target[0] : target
    if (!el || !(el instanceof Element)) continue
    el.setAttribute('aria-invalid', 'true')
    const anchor = el.closest('label') ?? el
    anchor.after(h('div', { class: 'field-error' }, `${FIELD_LABELS[problem.field] ?? problem.field}：${problem.message}`))
  }
  const status = $('.form-status', form)
  const message = h('div', { class: 'notice error' }, describeError(error))
  if (status) status.replaceChildren(message)
  else flash(describeError(error), 'error')
}

/** Runs a form submission with its button disabled, so a double click never creates two things. */
async function submitting(form, work, afterError) {
  const button = $('button[type="submit"]', form)
  if (button?.disabled) return
  if (button) button.disabled = true
  clearFormErrors(form)
  try {
    await work()
  } catch (error) {
    showFormError(form, error)
    afterError?.(error)
  } finally {
    if (button) button.disabled = false
  }
}

async function loadInto(container, work) {
  container.replaceChildren(emptyNote('加载中… Loading…'))
  try {
    container.replaceChildren(await work())
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return container.replaceChildren()
    container.replaceChildren(h('div', { class: 'notice error' }, describeError(error)))
  }
}

const trimmed = (form, name) => String(form.elements.namedItem(name)?.value ?? '').trim()

// ---------------------------------------------------------------------------------------------
// Sign-in

function showOnly(...ids) {
  for (const id of ['login', 'tenants', 'tenant']) $(`#${id}`).hidden = !ids.includes(id)
  $('#sign-out').hidden = ids.includes('login')
}

function signOut(message) {
  sessionStorage.removeItem(TOKEN_KEY)
  state.tenants = []
  state.tenant = null
  showOnly('login')
  const form = $('#login-form')
  clearFormErrors(form)
  if (message) $('.form-status', form).replaceChildren(h('div', { class: 'notice error' }, message))
  form.elements.namedItem('token').focus()
}

function setupLogin() {
  const form = $('#login-form')
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const input = form.elements.namedItem('token')
    const value = input.value.trim()
    // The token is kept in sessionStorage only; the field is emptied at once.
    input.value = ''
    if (!value) return signOut('请输入管理令牌。 Please enter the token.')
    sessionStorage.setItem(TOKEN_KEY, value)
    submitting(form, start, () => sessionStorage.removeItem(TOKEN_KEY))
  })
  $('#sign-out').addEventListener('click', () => {
    location.hash = ''
    signOut()
  })
}

// ---------------------------------------------------------------------------------------------
// Tenants

async function loadTenants() {
  state.tenants = await api('GET', '/tenants')
  renderTenants()
}

function businessHoursText(hours) {
  const ranges = hoursRanges(hours)
  if (!ranges.length) return '未设置'
  return ranges.map((range) => `${range.days.map((d) => LABELS.weekday[d] ?? d).join('、')} ${range.start}–${range.end}`).join('；')
}

/** Dates typed one per line or separated by commas (Chinese punctuation too). */
function holidayList(form) {
  return dateList(form, 'holidays')
}

function dateList(form, name) {
  return trimmed(form, name)
    .split(/[\s,，、;；]+/)
    .filter(Boolean)
}

/** The stored hours as one range per set of weekdays; the old single {days,start,end} form too. */
function hoursRanges(hours) {
  if (Array.isArray(hours)) return hours.filter(isPlainObject)
  return isPlainObject(hours) && Array.isArray(hours.days) ? [hours] : []
}

function fillWeekdayHours(form, hours) {
  const ranges = hoursRanges(hours)
  for (let day = 1; day <= 7; day++) {
    const range = ranges.find((candidate) => candidate.days.includes(day))
    form.elements.namedItem(`hours.${day}.on`).checked = Boolean(range)
    form.elements.namedItem(`hours.${day}.start`).value = range?.start ?? ''
    form.elements.namedItem(`hours.${day}.end`).value = range?.end ?? ''
  }
}

/** Weekdays with the same hours travel as one range, so the API sees {days:[1,2,3,4,5],…}. */
function weekdayHoursFromForm(form) {
  const ranges = []
  for (let day = 1; day <= 7; day++) {
    if (!form.elements.namedItem(`hours.${day}.on`).checked) continue
    const start = form.elements.namedItem(`hours.${day}.start`).value
    const end = form.elements.namedItem(`hours.${day}.end`).value
    const same = ranges.find((range) => range.start === start && range.end === end)
    if (same) same.days.push(day)
    else ranges.push({ days: [day], start, end })
  }
  return ranges
}

function renderTenants() {
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

function setupTenantForm() {
  const form = $('#tenant-form')
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    submitting(form, async () => {
      const body = { name: trimmed(form, 'name') }
      const zone = trimmed(form, 'timeZone')
      if (zone) body.timeZone = zone
      const days = $$('input[name="businessHours.days"]:checked', form).map((el) => Number(el.value))
      if (days.length) body.businessHours = { days, start: trimmed(form, 'businessHours.start'), end: trimmed(form, 'businessHours.end') }
      const holidays = holidayList(form)
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

// ---------------------------------------------------------------------------------------------
// One tenant and its tabs. The location hash (#tenant/<id>/<tab>) keeps the place across reloads.

function openTenant(id, tab = 'connections') {
  location.hash = `#tenant/${encodeURIComponent(id)}/${tab}`
}

async function route() {
  if (!token()) return signOut()
  const match = /^#tenant\/([^/]+)\/([a-z-]+)$/.exec(location.hash)
  if (!match) {
    state.tenant = null
    showOnly('tenants')
    renderTenants()
    return
  }
  const tenantId = decodeURIComponent(match[1])
  state.tab = $(`#tab-${match[2]}`) ? match[2] : 'connections'
  showOnly('tenant')
  if (state.tenant?.id !== tenantId) {
    state.connections = []
    state.groups = []
    state.policy = null
    state.departmentChoices = null
    resetDepartmentForm($('#department-form'))
    resetResourceForm($('#resource-form'))
    $('#binding-result').hidden = true
    $('#connection-created').hidden = true
    $('#group-edit-form').hidden = true
    try {
      state.tenant = await api('GET', `/tenants/${encodeURIComponent(tenantId)}`)
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401)) {
        flash(describeError(error), 'error')
        location.hash = ''
      }
      return
    }
  }
  renderTenantHeader()
  showTab(state.tab)
}

function renderTenantHeader() {
  const tenant = state.tenant
  $('#tenant-title').replaceChildren(tenant.name, ' ', tenant.demo ? h('span', { class: 'tag warn' }, '演示 demo') : '')
  $('#tenant-meta').replaceChildren(
    `时区 ${tenant.timeZone} · 工作时间 ${businessHoursText(tenant.businessHours)} · 节假日 ${tenant.holidays?.length ?? 0} 天 · ID `,
    h('code', {}, tenant.id),
  )
}

function showTab(tab) {
  for (const button of $$('.tabs button')) button.setAttribute('aria-selected', String(button.dataset.tab === tab))
  for (const panel of $$('.tab')) panel.hidden = panel.id !== `tab-${tab}`
  reloadTab()
}

function reloadTab() {
  const tenantId = state.tenant?.id
  if (!tenantId) return
  const loaders = {
    connections: () => loadInto($('#connection-list'), () => loadConnections(tenantId)),
    groups: () => loadInto($('#group-list'), () => loadGroups(tenantId)),
    members: () => loadInto($('#member-list'), () => loadMembers(tenantId)),
    logins: () => loadInto($('#workspace-login-list'), () => loadLogins(tenantId)),
    departments: () => loadInto($('#department-list'), () => loadDepartments(tenantId)),
    resources: () => loadInto($('#resource-list'), () => loadResources(tenantId)),
    'dead-letters': () => loadInto($('#dead-letter-list'), () => loadDeadLetters(tenantId)),
    audit: () => loadInto($('#audit-list'), () => loadAudit(tenantId)),
    settings: () => loadSettings(tenantId),
  }
  loaders[state.tab]?.()
}

// --- connections --------------------------------------------------------------------------------

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

function syncConnectionForm(form) {
  const platform = form.elements.namedItem('platform').value
  for (const set of $$('fieldset[data-platform]', form)) {
    const active = set.dataset.platform === platform
    set.hidden = !active
    // A disabled fieldset's inputs are neither required nor submitted.
    set.disabled = !active
  }
}

function setupConnectionForm() {
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

// --- groups -------------------------------------------------------------------------------------

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

function fillConnectionSelect() {
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

function setupGroupForms() {
  for (const select of $$('select[data-options="purpose"]')) fillOptions(select, 'purpose')

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

// --- members ------------------------------------------------------------------------------------

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

function setupMemberForm() {
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
        aliases: trimmed(form, 'aliases').split(/[\s,，、]+/).filter(Boolean),
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

// --- workspace logins ---------------------------------------------------------------------------

const STAFF_ROLES = ['agent', 'technician', 'supervisor', 'admin']

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

function setupLoginForms() {
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

// --- departments --------------------------------------------------------------------------------

async function loadDepartments(tenantId) {
  const id = encodeURIComponent(tenantId)
  const [departments, members, groups] = await Promise.all([
    api('GET', `/tenants/${id}/departments`),
    api('GET', `/tenants/${id}/members`),
    api('GET', `/tenants/${id}/groups`),
  ])
  state.departmentChoices = { members: members.filter((member) => member.active), groups }
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
  const { members, groups } = state.departmentChoices ?? { members: [], groups: [] }
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
  state.editingDepartment = null
  clearFormErrors(form)
}

function editDepartment(department) {
  const form = $('#department-form')
  resetDepartmentForm(form)
  state.editingDepartment = department.id
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

/** A number field holding text reads as '': send null so the API names the field. */
function hoursField(form, name) {
  const input = form.elements.namedItem(name)
  if (input.validity.badInput) return null
  return input.value.trim() === '' ? undefined : Number(input.value)
}

function setupDepartmentForm() {
  const form = $('#department-form')
  $('[data-action="new-department"]', form).addEventListener('click', () => resetDepartmentForm(form))
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const tenantId = state.tenant?.id
    if (!tenantId) return
    submitting(form, async () => {
      const limitHours = {}
      for (const kind of ['effective', 'communication']) {
        const value = hoursField(form, `limitHours.${kind}`)
        if (value !== undefined) limitHours[kind] = value
      }
      const body = {
        name: trimmed(form, 'name'),
        aliases: trimmed(form, 'aliases').split(/[\s,，、]+/).filter(Boolean),
        headIds: $$('input[name="headIds"]:checked', form).map((el) => el.value),
        limitHours,
      }
      const groupId = form.elements.namedItem('groupId').value
      const editing = state.editingDepartment
      const department = editing
        ? await api('PATCH', `/departments/${encodeURIComponent(editing)}`, { ...body, groupId: groupId || null })
        : await api('POST', `/tenants/${encodeURIComponent(tenantId)}/departments`, groupId ? { ...body, groupId } : body)
      resetDepartmentForm(form)
      flash(`已保存部门“${department.name}”。`, 'success')
      reloadTab()
    })
  })
}

// --- bookable resources -------------------------------------------------------------------------

const RESOURCE_NUMBERS = ['capacity', 'slotMinutes', 'defaultMinutes', 'bufferBeforeMinutes', 'bufferAfterMinutes', 'minNoticeMinutes', 'maxAdvanceDays']

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
  state.editingResource = null
  clearFormErrors(form)
}

function editResource(resource) {
  const form = $('#resource-form')
  resetResourceForm(form)
  state.editingResource = resource.id
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
function resourceBody(form, editing) {
  const body = {
    name: trimmed(form, 'name'),
    aliases: trimmed(form, 'aliases').split(/[\s,，、]+/).filter(Boolean),
    kind: form.elements.namedItem('kind').value,
    depositRequired: form.elements.namedItem('depositRequired').checked,
    prepRoles: $$('input[name="prepRoles"]:checked', form).map((el) => el.value),
  }
  for (const name of ['opensAt', 'closesAt']) {
    const value = trimmed(form, name)
    if (value) body[name] = value
  }
  for (const name of RESOURCE_NUMBERS) {
    const value = hoursField(form, name)
    if (value !== undefined) body[name] = value
  }
  const price = form.elements.namedItem('priceCents')
  if (price.validity.badInput) body.priceCents = 'not a number'
  else if (price.value.trim() !== '') body.priceCents = Math.round(Number(price.value) * 100)
  else if (editing) body.priceCents = null
  return body
}

function setupResourceForm() {
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
      const editing = state.editingResource
      const body = resourceBody(form, editing)
      const resource = editing
        ? await api('PATCH', `/tenants/${encodeURIComponent(tenantId)}/resources/${encodeURIComponent(editing)}`, body)
        : await api('POST', `/tenants/${encodeURIComponent(tenantId)}/resources`, body)
      resetResourceForm(form)
      flash(`已保存预约资源“${resource.name}”。`, 'success')
      reloadTab()
    })
  })
}

// --- tenant settings ----------------------------------------------------------------------------

const isPlainObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value)
/** `policy.resolveHours.urgent` → ['resolveHours', 'urgent'] */
const policyPath = (input) => input.name.slice('policy.'.length).split('.')
const dig = (object, path) => path.reduce((value, key) => (isPlainObject(value) ? value[key] : undefined), object)

async function loadSettings(tenantId) {
  const form = $('#tenant-settings-form')
  clearFormErrors(form)
  try {
    const [tenant, policy] = await Promise.all([
      api('GET', `/tenants/${encodeURIComponent(tenantId)}`),
      api('GET', `/tenants/${encodeURIComponent(tenantId)}/policy`),
    ])
    state.tenant = tenant
    state.policy = { tenantId, overrides: isPlainObject(policy.overrides) ? policy.overrides : {}, defaults: policy.defaults }
    renderTenantHeader()
    fillSettingsForm(form, tenant, state.policy)
  } catch (error) {
    showFormError(form, error)
  }
}

function fillSettingsForm(form, tenant, policy) {
  form.elements.namedItem('name').value = tenant.name
  form.elements.namedItem('timeZone').value = tenant.timeZone
  fillWeekdayHours(form, tenant.businessHours)
  form.elements.namedItem('holidays').value = (tenant.holidays ?? []).join('\n')
  form.elements.namedItem('extraWorkdays').value = (tenant.extraWorkdays ?? []).join('\n')
  form.elements.namedItem('officialHolidays').checked = tenant.officialHolidays !== false
  for (const select of $$('select[name^="policy."]', form)) {
    const own = dig(policy.overrides, policyPath(select))
    select.value = typeof own === 'string' ? own : ''
    const fallback = dig(policy.defaults, policyPath(select))
    select.options[0].textContent = fallback ? `默认（${fallback === 'business' ? '工作时间' : '全天'}）` : '默认'
  }
  for (const input of $$('input[name^="policy."]', form)) {
    const path = policyPath(input)
    const own = dig(policy.overrides, path)
    const fallback = dig(policy.defaults, path)
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
  const policy = structuredClone(overrides)
  for (const input of $$('input[name^="policy."]', form)) {
    const path = policyPath(input)
    const parent = path.slice(0, -1).reduce((object, key) => (isPlainObject(object[key]) ? object[key] : (object[key] = {})), policy)
    const key = path[path.length - 1]
    // A number field holding text reads as ''; send null so the API names the field instead of resetting it.
    if (input.validity.badInput) parent[key] = null
    else if (input.value.trim() === '') delete parent[key]
    else parent[key] = Number(input.value)
  }
  if (isPlainObject(policy.resolveHours) && !Object.keys(policy.resolveHours).length) delete policy.resolveHours
  for (const select of $$('select[name^="policy."]', form)) {
    const path = policyPath(select)
    const parent = path.slice(0, -1).reduce((object, key) => (isPlainObject(object[key]) ? object[key] : (object[key] = {})), policy)
    if (select.value) parent[path[path.length - 1]] = select.value
    else delete parent[path[path.length - 1]]
  }
  if (isPlainObject(policy.clocks?.resolve) && !Object.keys(policy.clocks.resolve).length) delete policy.clocks.resolve
  if (isPlainObject(policy.clocks) && !Object.keys(policy.clocks).length) delete policy.clocks
  return policy
}

function setupSettingsForm() {
  const form = $('#tenant-settings-form')
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const tenantId = state.tenant?.id
    if (!tenantId) return
    submitting(form, async () => {
      if (state.policy?.tenantId !== tenantId) throw new Error('设置尚未加载完成，请点“刷新”后重试。')
      const body = {
        name: trimmed(form, 'name'),
        timeZone: trimmed(form, 'timeZone'),
        businessHours: weekdayHoursFromForm(form),
        holidays: holidayList(form),
        extraWorkdays: dateList(form, 'extraWorkdays'),
        officialHolidays: form.elements.namedItem('officialHolidays').checked,
        policy: policyFromForm(form, state.policy.overrides),
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

// --- dead letters and audit ---------------------------------------------------------------------

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

// ---------------------------------------------------------------------------------------------
// Start-up

/** Checks the token by listing tenants; only then leaves the sign-in screen. */
async function start() {
  await loadTenants()
  await route()
}

function setup() {
  setupLogin()
  setupTenantForm()
  setupConnectionForm()
  setupGroupForms()
  setupMemberForm()
  setupLoginForms()
  setupDepartmentForm()
  setupResourceForm()
  setupSettingsForm()
  for (const button of $$('.tabs button')) {
    button.addEventListener('click', () => (button.dataset.tab === state.tab ? reloadTab() : openTenant(state.tenant.id, button.dataset.tab)))
  }
  $('[data-action="reload-tenants"]').addEventListener('click', () => loadTenants().catch(reportError))
  $('[data-action="back"]').addEventListener('click', () => (location.hash = ''))
  for (const button of $$('[data-action="reload-tab"]')) button.addEventListener('click', reloadTab)
  window.addEventListener('hashchange', () => route())
  document.body.dataset.ready = 'true'

  if (!token()) return signOut()
  start().catch((error) => {
    // Locked out, disabled or unreachable: back to sign-in with the reason.
    if (!(error instanceof ApiError && error.status === 401)) signOut(describeError(error))
  })
}

setup()
