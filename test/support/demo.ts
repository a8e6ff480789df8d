import type { ChatHandler } from '../../src/inbox/handler.ts'
import { seedDemoTenant, type DemoSeedResult } from '../../src/admin/seed.ts'
import { runDueReminders } from '../../src/jobs/reminders.ts'
import { createServices, type Services } from '../../src/services.ts'
import { consoleGroup } from './conversation.ts'
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
  startTestWorkers(env, { handleChat, fireReminder: services.fireReminder, fireReminders: services.fireReminders })
  const demo = await seedDemoTenant(env.ctx)
  if (!demo) throw new Error('the demo tenant already exists in this schema')
  return {
    services,
    demo,
    group: (purpose) => demo.groups.find((g) => g.purpose === purpose)!.id,
    member: (role) => demo.members.find((m) => m.role === role)!.id,
  }
}

/**
 * The demo world on a clock set to `at` and then moved by hand, with the console of each of its
 * groups, its tenant, a way to run the reminders due at the clock's time and to read a ticket by
 * its number: the start most chat walkthroughs share.
 */
export async function startDemoChat(env: TestEnv, at: Date) {
  env.clock.set(at)
  const world = await startDemoWorld(env)
  const tenantId = world.demo.tenantId
  const chat = (purpose: string) => consoleGroup(env, world.group(purpose))
  return {
    world,
    tenantId,
    frontDesk: chat('front_desk'),
    maintenance: chat('maintenance'),
    management: chat('management'),
    customerService: chat('customer_service'),
    runDue: () => runDueReminders(env.ctx, world.services.fireReminder, env.clock.now()),
    ticketOf: (number: number) => env.ctx.prisma.ticket.findFirstOrThrow({ where: { tenantId, number } }),
  }
}
