import { execFile } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { join, relative, sep } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { setupTestEnv, TEST_ADMIN_TOKEN } from '../support/harness.ts'
import { adminClient, createTenant } from './helpers.ts'

const env = await setupTestEnv()
const admin = adminClient(env)

const get = (url: string, headers: Record<string, string> = {}) => env.app.inject({ method: 'GET', url, headers })

const html = (await get('/admin')).body
// The assets the page references, fetched the way a browser would.
const assetPaths = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1])
const assets = new Map<string, string>()
for (const path of assetPaths) assets.set(path, (await get(path)).body)

/** The relative imports of a module (`import … from './lib/api.js'`), as absolute paths. */
function moduleImports(path: string, source: string): string[] {
  const specifiers = [...source.matchAll(/^\s*(?:import|export)\s[^;'"]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'/gm)].map((match) => match[1] ?? match[2])
  return specifiers.map((specifier) => {
    expect(specifier, `${path} imports ${specifier}`).toMatch(/^\.\.?\//)
    return new URL(specifier, `http://page${path}`).pathname
  })
}

// Every module the browser loads: the page's script tags, then whatever they import, as served.
const modules = new Map<string, string>()
const pending = assetPaths.filter((path) => path.endsWith('.js'))
while (pending.length) {
  const path = pending.shift()!
  if (modules.has(path)) continue
  const response = await get(path)
  expect(response.statusCode, path).toBe(200)
  expect(response.headers['content-type'], path).toBe('text/javascript; charset=utf-8')
  modules.set(path, response.body)
  pending.push(...moduleImports(path, response.body))
}
const script = [...modules.values()].join('\n')
const everything = [html, ...assets.values(), ...modules.values()].join('\n')

/** Every `api('METHOD', 'path')` call in the page's script; the page routes all calls through api(). */
function apiCalls(source: string): { method: string; path: string }[] {
  const calls = [...source.matchAll(/\bapi\(\s*'([A-Z]+)'\s*,\s*(['`])(\/[^'`]*)\2/g)].map((match) => ({ method: match[1], path: match[3] }))
  const seen = new Set<string>()
  return calls.filter((call) => !seen.has(`${call.method} ${call.path}`) && seen.add(`${call.method} ${call.path}`))
}

describe('admin page', () => {
  it('serves the page at /admin and /admin/ as UTF-8 HTML, without a token', async () => {
    for (const url of ['/admin', '/admin/']) {
      const response = await get(url)
      expect(response.statusCode).toBe(200)
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8')
      expect(response.headers['content-security-policy']).toContain("script-src 'self'")
      expect(response.body).toContain('<html lang="zh-CN">')
      expect(response.body).toContain('<meta charset="utf-8">')
    }
  })

  it('has the sign-in form and the main sections', () => {
    for (const id of ['login', 'login-form', 'tenants', 'tenant-list', 'tenant-form', 'tenant', 'tab-connections', 'connection-form', 'tab-groups', 'binding-form', 'binding-result', 'tab-members', 'member-form', 'tab-dead-letters', 'tab-audit', 'tab-settings', 'tenant-settings-form', 'tab-departments', 'department-form', 'department-list', 'tab-resources', 'resource-form', 'resource-list']) {
      expect(html, `section #${id}`).toContain(`id="${id}"`)
    }
    expect(html).toContain('管理令牌')
    expect(html).toContain('type="password" name="token"')
  })

  it('serves its modules and style with the right content types, and nothing else from the folder', async () => {
    expect(assetPaths).toEqual(expect.arrayContaining(['/admin/page.css', '/admin/main.js']))
    expect(html).toContain('<script type="module" src="/admin/main.js"></script>')
    // No inline script: the CSP would refuse it anyway.
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/)
    const css = await get('/admin/page.css')
    expect(css.statusCode).toBe(200)
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8')
    // Modules in sub-folders are served as JavaScript, with the same CSP as the page.
    for (const url of ['/admin/lib/api.js', '/admin/sections/tenants.js', '/admin/sections/dead-letters.js']) {
      const response = await get(url)
      expect(response.statusCode, url).toBe(200)
      expect(response.headers['content-type'], url).toBe('text/javascript; charset=utf-8')
      expect(response.headers['content-security-policy'], url).toContain("script-src 'self'")
      expect(response.headers['x-content-type-options'], url).toBe('nosniff')
    }
    // The plugin's own source, paths out of the folder and unknown files stay unreachable.
    for (const url of ['/admin/routes.ts', '/admin/index.html.bak', '/admin/../package.json', '/admin/nope.js', '/admin/lib/nope.js', '/admin/sections/../routes.ts', '/admin/lib/../../app.ts', '/admin/%2e%2e/app.ts', '/admin/lib/..%2f..%2fapp.ts', '/admin/lib/', '/admin/sections', '/admin/page.js']) {
      expect((await get(url)).statusCode, url).toBe(404)
    }
  })

  it('loads every module of the folder, one per section, from main.js', () => {
    // A module nobody imports would be dead code the browser never runs.
    const folder = join(import.meta.dirname, '../../src/admin/page')
    const onDisk = readdirSync(folder, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
      .map((entry) => `/admin/${relative(folder, join(entry.parentPath, entry.name)).split(sep).join('/')}`)
    expect([...modules.keys()].sort()).toEqual(onDisk.sort())
    for (const section of ['tenants', 'settings', 'connections', 'groups', 'members', 'departments', 'resources', 'logins', 'dead-letters', 'audit']) {
      expect(modules.has(`/admin/sections/${section}.js`), section).toBe(true)
    }
  })

  it('does not open the admin API: it still wants the token', async () => {
    const response = await env.app.inject({ method: 'GET', url: '/admin/api/tenants', remoteAddress: '10.20.0.1' })
    expect(response.statusCode).toBe(401)
  })

  it('keeps the token in sessionStorage only and sends it as a bearer token', () => {
    expect(script).toContain('sessionStorage')
    expect(script).not.toContain('localStorage')
    expect(script).not.toMatch(/document\.cookie/)
    expect(script).toContain('Bearer ${')
    // Data is put into the page as text, never parsed as markup.
    expect(script).not.toMatch(/\.innerHTML\s*=|insertAdjacentHTML|document\.write/)
  })

  it('calls only API paths that exist', async () => {
    const tenantId = await createTenant(env, '页面测试物业')
    const connection = await admin.post(`/tenants/${tenantId}/connections`, {
      platform: 'wecom',
      name: '页面测试机器人',
      credentials: { token: 'tok', encodingAESKey: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456' },
    })
    expect(connection.statusCode).toBe(201)
    const group = await env.ctx.prisma.chatGroup.create({
      data: { tenantId, platform: 'wecom', externalId: 'wr-page-test', name: '页面测试群', purpose: 'front_desk' },
    })
    const member = await env.ctx.prisma.member.create({ data: { tenantId, platform: 'wecom', externalUserId: 'page-test-user', name: '页面测试成员' } })
    const department = await admin.post(`/tenants/${tenantId}/departments`, { name: '页面测试部' })
    expect(department.statusCode).toBe(201)
    const resource = await admin.post(`/tenants/${tenantId}/resources`, { name: '页面测试会议室' })
    expect(resource.statusCode).toBe(201)
    const ids: Record<string, string> = { tenants: tenantId, connections: connection.json().id, groups: group.id, members: member.id, departments: department.json().id, resources: resource.json().id }

    const calls = apiCalls(script)
    // A regex that silently stopped matching would make this test pass on nothing.
    expect(calls.length).toBeGreaterThanOrEqual(12)
    // Every fetch goes through api(), and every api() call has a literal path we can check.
    expect(script.match(/\bfetch\(/g)).toHaveLength(1)
    const code = script.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')
    const callSites = (code.match(/\bapi\(/g) ?? []).length - 1 // minus the definition
    expect(callSites).toBe([...code.matchAll(/\bapi\(\s*'([A-Z]+)'\s*,\s*(['`])(\/[^'`]*)\2/g)].length)
    expect(calls.map((call) => `${call.method} ${call.path.replace(/\$\{[^}]*\}/g, ':id')}`)).toEqual(
      expect.arrayContaining([
        'GET /tenants',
        'POST /tenants',
        'GET /tenants/:id',
        'GET /tenants/:id/connections',
        'POST /tenants/:id/connections',
        'POST /connections/:id/disable',
        'GET /tenants/:id/groups',
        'POST /tenants/:id/groups',
        'PATCH /groups/:id',
        'POST /tenants/:id/binding-codes',
        'GET /tenants/:id/members',
        'POST /tenants/:id/members',
        'GET /tenants/:id/dead-letters?limit=100',
        'GET /tenants/:id/audit?limit=200',
        'PATCH /tenants/:id',
        'GET /tenants/:id/policy',
        'DELETE /groups/:id',
        'POST /members/:id/deactivate',
        'POST /members/:id/activate',
        'POST /connections/:id/enable',
        'GET /tenants/:id/departments',
        'POST /tenants/:id/departments',
        'PATCH /departments/:id',
        'DELETE /departments/:id',
        'GET /tenants/:id/resources',
        'POST /tenants/:id/resources',
        'PATCH /tenants/:id/resources/:id',
        'POST /tenants/:id/resources/:id/deactivate',
        'POST /tenants/:id/resources/:id/activate',
      ]),
    )

    // Deletions go last, so the calls after them still find their objects.
    const ordered = [...calls.filter((call) => call.method !== 'DELETE'), ...calls.filter((call) => call.method === 'DELETE')]
    for (const call of ordered) {
      const path = call.path.replace(/\/(tenants|connections|groups|members|departments|resources)\/\$\{[^}]*\}/g, (_match, kind: string) => `/${kind}/${ids[kind]}`)
      expect(path, `unresolved placeholder in ${call.path}`).not.toContain('${')
      const response = await env.app.inject({
        method: call.method as 'GET' | 'POST' | 'PATCH' | 'DELETE',
        url: `/admin/api${path}`,
        headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
        ...(call.method === 'GET' || call.method === 'DELETE' ? {} : { payload: {} }),
      })
      const label = `${call.method} ${call.path} → ${response.statusCode} ${response.body.slice(0, 200)}`
      // With real ids nothing is missing, so any 404 would mean the route itself does not exist.
      expect(response.statusCode, label).not.toBe(404)
      expect(response.body, label).not.toMatch(/Route .* not found/)
      expect(response.statusCode, label).toBeLessThan(500)
    }
  })

  it('names the API fields in its forms the way the API reports them', () => {
    // A 400 names fields by dotted path; the forms use the same names so errors land next to them.
    for (const field of ['credentials.appId', 'credentials.appSecret', 'credentials.verificationToken', 'credentials.encryptKey', 'credentials.domain', 'credentials.token', 'credentials.encodingAESKey', 'credentials.receiveId', 'credentials.botId', 'credentials.botSecret', 'externalUserId', 'externalId', 'pushKey', 'purpose', 'timeZone', 'businessHours.start', 'holidays', 'policy.onSiteMinutes', 'policy.unassignedAlertMinutes', 'policy.assigneeReminderMinutes', 'policy.appointmentReminderMinutesBefore', 'policy.appointmentGraceMinutes', 'policy.resolveHours.urgent', 'policy.resolveHours.high', 'policy.resolveHours.normal', 'policy.resolveHours.low', 'extraWorkdays', 'officialHolidays', 'policy.clocks.onSite', 'policy.clocks.unassignedAlert', 'policy.clocks.assigneeReminder', 'policy.clocks.appointmentGrace', 'policy.clocks.resolve.urgent', 'policy.clocks.resolve.normal', 'groupId', 'limitHours.effective', 'limitHours.communication', 'kind', 'capacity', 'opensAt', 'closesAt', 'slotMinutes', 'defaultMinutes', 'bufferBeforeMinutes', 'bufferAfterMinutes', 'minNoticeMinutes', 'maxAdvanceDays', 'depositRequired', 'priceCents']) {
      expect(html, field).toContain(`name="${field}"`)
    }
    // Secrets are typed into password fields.
    for (const field of ['credentials.appSecret', 'credentials.verificationToken', 'credentials.encryptKey', 'credentials.token', 'credentials.encodingAESKey', 'credentials.botSecret', 'pushKey']) {
      expect(html, field).toMatch(new RegExp(`type="password" name="${field.replace('.', '\\.')}"`))
    }
  })

  it('loads nothing from other origins and carries no secrets', () => {
    expect(everything).not.toMatch(/https?:\/\//i)
    expect(everything).not.toMatch(/(?:src|href)\s*=\s*["']?\/\//i)
    expect(everything).not.toMatch(/@import|url\(\s*["']?(?!data:)/i)
    for (const path of assetPaths) expect(path.startsWith('/admin/'), path).toBe(true)
    expect(everything).not.toContain(TEST_ADMIN_TOKEN)
    expect(everything).not.toContain(env.config.MASTER_KEY)
    // Nothing that looks like a key: no long hex or base64 runs.
    expect(everything).not.toMatch(/[0-9a-f]{32,}/i)
    expect(everything).not.toMatch(/[A-Za-z0-9+/]{40,}/)
  })

  const chromium = '/usr/bin/chromium'
  it.skipIf(!existsSync(chromium))('renders the sign-in form in a headless browser', async () => {
    await env.app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = env.app.server.address() as AddressInfo
    const { stdout } = await promisify(execFile)(chromium, ['--headless', '--no-sandbox', '--disable-gpu', '--virtual-time-budget=3000', '--dump-dom', `http://127.0.0.1:${port}/admin`], { timeout: 20_000 })
    // The script ran (it marks the body) and, with no token stored, shows the sign-in form.
    expect(stdout).toContain('data-ready="true"')
    expect(stdout).toMatch(/<section id="login" class="card narrow">/)
  })

  it('names every field a refused tenant setting reports in Chinese, the complaint limits and booking times too', async () => {
    // The page's own label module, as the browser loads it (plain JavaScript, so imported by a path the compiler does not type).
    const labelsModule = '../../src/admin/page/lib/labels.js'
    const { fieldLabel } = (await import(labelsModule)) as { fieldLabel: (field: string) => string }
    const tenantId = await createTenant(env, '标签物业')
    const refused = await admin.patch(`/tenants/${tenantId}`, {
      bookingReminderTime: '9点',
      bookingAuditTime: '25:00',
      policy: {
        complaints: {
          recordWithinMinutes: 0,
          limitHours: { effective: 0, communication: -1 },
          warningRatio: 1,
          answerEscalationMinutes: 0,
          repeatThreshold: 1,
          repeatWindowDays: 0.5,
        },
      },
    })
    expect(refused.statusCode, refused.body).toBe(400)
    const fields = (refused.json().fields as { field: string }[]).map((f) => f.field)
    expect(fields).toEqual(expect.arrayContaining(['bookingReminderTime', 'bookingAuditTime', 'policy.complaints.recordWithinMinutes', 'policy.complaints.limitHours.effective', 'policy.complaints.limitHours.communication', 'policy.complaints.warningRatio', 'policy.complaints.answerEscalationMinutes', 'policy.complaints.repeatThreshold', 'policy.complaints.repeatWindowDays']))
    for (const field of fields) expect(fieldLabel(field), field).toMatch(/^[\u4e00-\u9fff]/)
    expect(fieldLabel('policy.complaints.warningRatio')).toBe('投诉预警比例')
    // The settings form has the booking times under the names the API reports.
    for (const field of ['bookingReminderTime', 'bookingAuditTime']) expect(html, field).toMatch(new RegExp(`type="time" name="${field}"`))
  })
})
