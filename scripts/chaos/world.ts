import { randomBytes } from 'node:crypto'
import type { SecretBox } from '../../src/crypto/secrets.ts'
import type { Database } from '../../src/db/database.ts'
import type { PolicyOverrides } from '../../src/domain/policy.ts'
import { encryptLarkEvent, larkSignature } from '../../src/platforms/lark/crypto.ts'
import type { FakeLark } from '../../test/support/fake-lark.ts'

/**
 * The chat world the probes talk in: per probe a tenant with a Lark app (served by the fake Lark),
 * front-desk, maintenance and management groups, and one member of each role. Commands reach
 * frontdesk as Lark sends them: signed, encrypted webhooks, redelivered until answered with 2xx.
 */

export const BOT_OPEN_ID = 'ou_chaos_bot'
export const AGENT_OPEN_ID = 'ou_chaos_agent'
const encryptKey = 'chaos-encrypt-key'
const verificationToken = 'chaos-verification-token'

export interface TenantWorld {
  tenantId: string
  connectionId: string
  /** Several front-desk groups: Lark allows 5 messages a second per group, replies spread out. */
  frontDeskChats: string[]
}

export async function createTenantWorld(db: Database, secrets: SecretBox, lark: FakeLark, name: string, policy: PolicyOverrides = {}, frontDeskGroups = 8): Promise<TenantWorld> {
  const prisma = db.prisma
  const tenant = await prisma.tenant.create({ data: { name, policy } })
  const connection = await prisma.platformConnection.create({
    data: {
      tenantId: tenant.id,
      platform: 'lark',
      name: 'Lark app',
      appId: lark.appId,
      botUserId: BOT_OPEN_ID,
      credentials: secrets.sealJson({ appId: lark.appId, appSecret: lark.appSecret, encryptKey, verificationToken }),
    },
  })
  const group = (purpose: 'front_desk' | 'maintenance' | 'management', groupName: string) =>
    prisma.chatGroup.create({
      data: { tenantId: tenant.id, connectionId: connection.id, platform: 'lark', externalId: `oc_${randomBytes(10).toString('hex')}`, name: groupName, purpose },
    })
  const frontDesk = []
  for (let i = 1; i <= frontDeskGroups; i++) frontDesk.push(await group('front_desk', `前台${i}群`))
  await group('maintenance', '维修群')
  await group('management', '管理群')
  const member = (openId: string, memberName: string, role: 'agent' | 'technician' | 'supervisor') =>
    prisma.member.create({ data: { tenantId: tenant.id, platform: 'lark', externalUserId: openId, name: memberName, roles: [role] } })
  await member(AGENT_OPEN_ID, '前台小周', 'agent')
  await member('ou_chaos_technician', '李师傅', 'technician')
  await member('ou_chaos_supervisor', '陈主管', 'supervisor')
  return { tenantId: tenant.id, connectionId: connection.id, frontDeskChats: frontDesk.map((g) => g.externalId) }
}

/** One probe command: its unique tag is in the text, the Lark message id and the event id. */
export interface ProbeCommand {
  tag: string
  text: string
  chatId: string
  messageId: string
  eventId: string
}

export function probeCommands(world: TenantWorld, probe: string, count: number, options: { urgent?: boolean } = {}): ProbeCommand[] {
  const run = randomBytes(3).toString('hex')
  return Array.from({ length: count }, (_, i) => {
    const n = i + 1
    const tag = `probe-${probe}${run}-${n}`
    return {
      tag,
      text: `报修 ${probe.charCodeAt(0) - 96}-2-${500 + n} ${tag} 漏水${options.urgent ? ' 紧急' : ''}`,
      chatId: world.frontDeskChats[i % world.frontDeskChats.length],
      messageId: `om_${tag}`,
      eventId: `ev_${tag}`,
    }
  })
}

function larkEvent(command: ProbeCommand) {
  return {
    schema: '2.0',
    header: {
      event_id: command.eventId,
      event_type: 'im.message.receive_v1',
      create_time: String(Date.now()),
      token: verificationToken,
      app_id: 'cli_a1b2c3d4e5f60718',
      tenant_key: 'chaos',
    },
    event: {
      sender: { sender_id: { open_id: AGENT_OPEN_ID }, sender_type: 'user', tenant_key: 'chaos' },
      message: {
        message_id: command.messageId,
        create_time: String(Date.now()),
        chat_id: command.chatId,
        chat_type: 'group',
        message_type: 'text',
        content: JSON.stringify({ text: `@_user_1 ${command.text}` }),
        mentions: [{ key: '@_user_1', id: { open_id: BOT_OPEN_ID }, name: 'frontdesk', tenant_key: 'chaos' }],
      },
    },
  }
}

export interface DeliveryStats {
  /** Webhook requests made, redeliveries included. */
  requests: number
  /** Answers other than 2xx (and network errors) that made Lark try again. */
  refused: number
}

/**
 * Delivers a command the way Lark does: the same event (same event_id), freshly signed each time,
 * again and again until frontdesk answers 2xx or `giveUpAt` passes.
 */
export async function deliverLikeLark(webUrl: () => string, connectionId: string, command: ProbeCommand, stats: DeliveryStats, giveUpAt: number): Promise<boolean> {
  const plain = JSON.stringify(larkEvent(command))
  for (;;) {
    stats.requests++
    try {
      const body = Buffer.from(JSON.stringify({ encrypt: encryptLarkEvent(plain, encryptKey) }))
      const timestamp = String(Math.floor(Date.now() / 1000))
      const nonce = randomBytes(6).toString('hex')
      const response = await fetch(`${webUrl()}/webhooks/lark/${connectionId}`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json; charset=utf-8', 'x-lark-request-timestamp': timestamp, 'x-lark-request-nonce': nonce, 'x-lark-signature': larkSignature(timestamp, nonce, encryptKey, body) },
        signal: AbortSignal.timeout(10_000),
      })
      await response.arrayBuffer()
      if (response.ok) return true
    } catch {
      // connection refused or timed out: Lark retries these too
    }
    stats.refused++
    if (Date.now() > giveUpAt) return false
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
}

/** Delivers many commands with bounded concurrency (Lark pushes in parallel, not all at once). */
export async function deliverAll(webUrl: () => string, connectionId: string, commands: ProbeCommand[], options: { copies?: number; giveUpAfterMs?: number; concurrency?: number } = {}): Promise<DeliveryStats> {
  const stats: DeliveryStats = { requests: 0, refused: 0 }
  const copies = options.copies ?? 1
  const giveUpAt = Date.now() + (options.giveUpAfterMs ?? 180_000)
  const queue = [...commands]
  const lanes = Array.from({ length: options.concurrency ?? 16 }, async () => {
    for (let command = queue.shift(); command; command = queue.shift()) {
      const current = command
      await Promise.all(Array.from({ length: copies }, () => deliverLikeLark(webUrl, connectionId, current, stats, giveUpAt)))
    }
  })
  await Promise.all(lanes)
  return stats
}
