import type { AuditLog, ChatGroup, Member, OutgoingMessage, PlatformConnection, Tenant } from '../generated/prisma/client.ts'

/**
 * Response mappers: each picks the fields the admin may see, by name, so a new column (or a
 * secret) never leaks by accident. Sealed credentials and push keys have no mapper at all.
 */

export function tenantView(tenant: Tenant) {
  return {
    id: tenant.id,
    name: tenant.name,
    timeZone: tenant.timeZone,
    businessHours: tenant.businessHours,
    holidays: tenant.holidays,
    extraWorkdays: tenant.extraWorkdays,
    officialHolidays: tenant.officialHolidays,
    bookingReminderTime: tenant.bookingReminderTime,
    bookingAuditTime: tenant.bookingAuditTime,
    locale: tenant.locale,
    demo: tenant.demo,
    createdAt: tenant.createdAt.toISOString(),
  }
}

export function webhookUrlOf(baseUrl: string, connection: Pick<PlatformConnection, 'id' | 'platform'>): string {
  return `${baseUrl.replace(/\/$/, '')}/webhooks/${connection.platform}/${connection.id}`
}

/** Where in each console the admin goes next; Chinese because the people reading it are. */
export function connectionInstructions(connection: Pick<PlatformConnection, 'platform' | 'mode'>, webhookUrl: string): string {
  if (connection.platform === 'lark') {
    return connection.mode === 'long_connection'
      ? '在飞书开放平台 → 应用 → 事件与回调 → 事件配置中选择“使用长连接接收事件”，无需填写请求地址；并添加事件“接收消息 im.message.receive_v1”。'
      : `在飞书开放平台 → 应用 → 事件与回调 → 事件配置中，将“请求地址”设为 ${webhookUrl} ，并添加事件“接收消息 im.message.receive_v1”。Encrypt Key 与 Verification Token 须与此处填写的一致。`
  }
  return connection.mode === 'long_connection'
    ? '在企业微信管理后台 → 智能机器人中选择“长连接”模式，使用此处填写的 Bot ID 与 Secret，无需填写回调 URL。'
    : `在企业微信管理后台 → 智能机器人 → API 模式中，将“URL”设为 ${webhookUrl} ，Token 与 EncodingAESKey 须与此处填写的一致。`
}

export function connectionView(connection: PlatformConnection, baseUrl: string) {
  const webhookUrl = webhookUrlOf(baseUrl, connection)
  return {
    id: connection.id,
    platform: connection.platform,
    name: connection.name,
    mode: connection.mode,
    enabled: connection.enabled,
    appId: connection.appId,
    webhookUrl,
    instructions: connectionInstructions(connection, webhookUrl),
    createdAt: connection.createdAt.toISOString(),
    disabledAt: connection.disabledAt?.toISOString() ?? null,
  }
}

export function groupView(group: ChatGroup) {
  return {
    id: group.id,
    platform: group.platform,
    connectionId: group.connectionId,
    externalId: group.externalId,
    name: group.name,
    purpose: group.purpose,
    hasPushKey: group.pushKey !== null,
    summaryEnabled: group.summaryEnabled,
    summaryTime: group.summaryTime,
    lastInboundAt: group.lastInboundAt?.toISOString() ?? null,
    lastOutboundAt: group.lastOutboundAt?.toISOString() ?? null,
    createdAt: group.createdAt.toISOString(),
  }
}

export function memberView(member: Member) {
  return {
    id: member.id,
    platform: member.platform,
    externalUserId: member.externalUserId,
    name: member.name,
    aliases: member.aliases,
    roles: member.roles,
    phone: member.phone,
    departmentId: member.departmentId,
    active: member.active,
    createdAt: member.createdAt.toISOString(),
  }
}

export function auditView(entry: AuditLog) {
  return { id: entry.id, actor: entry.actor, action: entry.action, target: entry.target, data: entry.data, at: entry.at.toISOString() }
}

export function deadLetterView(message: OutgoingMessage) {
  return {
    id: message.id,
    platform: message.platform,
    groupId: message.groupId,
    destination: maskDestination(message.destination),
    lastError: message.lastError === null ? null : redactSecrets(message.lastError).slice(0, 500),
    attempts: message.attempts,
    createdAt: message.createdAt.toISOString(),
  }
}

/**
 * A destination is a chat id or a one-use WeCom response_url whose query works like a password:
 * URLs keep only host and path, ids keep only their ends, enough to recognise a group.
 */
export function maskDestination(destination: string): string {
  if (/^https?:\/\//i.test(destination)) {
    try {
      const url = new URL(destination)
      return `${url.origin}${url.pathname}${url.search ? '?…' : ''}`
    } catch {
      return '(unreadable URL)'
    }
  }
  if (destination.length <= 8) return `${destination.slice(0, 2)}…`
  return `${destination.slice(0, 4)}…${destination.slice(-4)}`
}

/** Platform errors sometimes echo the request URL, keys and tokens included. */
function redactSecrets(text: string): string {
  return text.replace(/([?&](?:key|access_token|response_code|token)=)[^&\s"']+/gi, '$1***')
}
