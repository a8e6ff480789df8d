import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { TEST_ADMIN_TOKEN, type TestEnv } from '../support/harness.ts'

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'

/** Calls the admin API with the right token, so tests read as `admin.post('/tenants', {...})`. */
export function adminClient(env: TestEnv) {
  const call = (method: Method, path: string, payload?: unknown, extra: Partial<InjectOptions> = {}): Promise<LightMyRequestResponse> =>
    env.app.inject({
      method,
      url: `/admin/api${path}`,
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      ...(payload === undefined ? {} : { payload: payload as object }),
      ...extra,
    })
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, payload?: unknown) => call('POST', path, payload),
    patch: (path: string, payload?: unknown) => call('PATCH', path, payload),
    delete: (path: string) => call('DELETE', path),
  }
}

export async function createTenant(env: TestEnv, name = '测试物业'): Promise<string> {
  const response = await adminClient(env).post('/tenants', { name })
  if (response.statusCode !== 201) throw new Error(`tenant create failed: ${response.statusCode} ${response.body}`)
  return response.json().id as string
}

export async function auditActions(env: TestEnv, tenantId: string): Promise<string[]> {
  const rows = await env.ctx.prisma.auditLog.findMany({ where: { tenantId }, orderBy: { at: 'asc' } })
  return rows.map((row) => row.action)
}
