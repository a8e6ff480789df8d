import type { LightMyRequestResponse } from 'fastify'
import type { Role } from '../../src/generated/prisma/client.ts'
import { adminClient, createTenant } from '../admin/helpers.ts'
import type { TestEnv } from '../support/harness.ts'

export const PASSWORD = 'correct horse battery'

export interface StaffAccount {
  tenantId: string
  memberId: string
  username: string
}

let counter = 0

/** A member with the roles and a workspace login, made through the admin API as a tenant admin would. */
export async function staffAccount(env: TestEnv, tenantId: string, roles: Role[], name = `员工${++counter}`): Promise<StaffAccount> {
  const admin = adminClient(env)
  const member = await admin.post(`/tenants/${tenantId}/members`, { platform: 'console', externalUserId: `u-${counter}-${Math.random().toString(36).slice(2)}`, name, roles })
  if (member.statusCode >= 300) throw new Error(`member: ${member.statusCode} ${member.body}`)
  const memberId = member.json().id as string
  const username = `user${counter}-${Math.random().toString(36).slice(2, 8)}`
  const login = await admin.post(`/members/${memberId}/login`, { username, password: PASSWORD })
  if (login.statusCode !== 201) throw new Error(`login: ${login.statusCode} ${login.body}`)
  return { tenantId, memberId, username }
}

export { createTenant }

export function cookiesOf(response: LightMyRequestResponse): Record<string, string> {
  return Object.fromEntries(response.cookies.map((cookie) => [cookie.name, cookie.value]))
}

export const hiddenCsrf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? ''

/** Opens the sign-in page and posts the form, as a browser without script would. */
export async function postLogin(env: TestEnv, username: string, password: string): Promise<LightMyRequestResponse> {
  const page = await env.app.inject({ method: 'GET', url: '/workspace/login' })
  return env.app.inject({
    method: 'POST',
    url: '/workspace/login',
    cookies: cookiesOf(page),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://frontdesk.example.com' },
    payload: new URLSearchParams({ _csrf: hiddenCsrf(page.body), username, password }).toString(),
  })
}

/** Signs in and returns the session cookie for further requests. */
export async function signedIn(env: TestEnv, account: StaffAccount): Promise<{ fd_ws_session: string }> {
  const response = await postLogin(env, account.username, PASSWORD)
  const session = cookiesOf(response).fd_ws_session
  if (response.statusCode !== 303 || !session) throw new Error(`sign-in failed: ${response.statusCode} ${response.body.slice(0, 300)}`)
  return { fd_ws_session: session }
}

let ticketNumber = 5000

/** A ticket row as the chat would have stored it. */
export async function seedTicket(env: TestEnv, tenantId: string, fields: Partial<{ kind: 'repair' | 'complaint'; status: 'open' | 'assigned' | 'on_site' | 'done' | 'closed' | 'cancelled'; priority: 'low' | 'normal' | 'high' | 'urgent'; unit: string; description: string; contactPhone: string; resolveBy: Date; createdAt: Date; assigneeId: string }> = {}) {
  return env.ctx.prisma.ticket.create({
    data: { tenantId, number: ++ticketNumber, kind: fields.kind ?? 'repair', description: fields.description ?? '厨房水管漏水', unit: fields.unit ?? '3-2-501', ...fields },
  })
}
