import type { ChatHandler } from '../../src/inbox/handler.ts'
import { seedDemoTenant, type DemoSeedResult } from '../../src/admin/seed.ts'
import { createServices, type Services } from '../../src/services.ts'
import type { TestEnv } from './harness.ts'
import { startTestWorkers } from './pipeline.ts'

export interface DemoWorld {
  services: Services
  demo: DemoSeedResult
  group(purpose: string): string
  member(role: string): string
}

/**
 * The first-start demo tenant with the real command layer and every worker running.
 * `wrapChat` lets a test put something around the real handler (a simulated crash, say).
 */
export async function startDemoWorld(env: TestEnv, options: { wrapChat?: (real: ChatHandler) => ChatHandler } = {}): Promise<DemoWorld> {
  const services = createServices(env.ctx)
  const handleChat = options.wrapChat ? options.wrapChat(services.handleChat) : services.handleChat
  startTestWorkers(env, { handleChat, fireReminder: services.fireReminder })
  const demo = await seedDemoTenant(env.ctx)
  if (!demo) throw new Error('the demo tenant already exists in this schema')
  return {
    services,
    demo,
    group: (purpose) => demo.groups.find((g) => g.purpose === purpose)!.id,
    member: (role) => demo.members.find((m) => m.role === role)!.id,
  }
}
