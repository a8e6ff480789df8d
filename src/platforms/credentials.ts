import { z } from 'zod'

/**
 * What an admin enters for each kind of platform connection. Stored sealed with the master key
 * (src/crypto/secrets.ts), never returned by the API, never logged.
 */
export const larkCredentialsSchema = z.object({
  appId: z.string().min(1),
  appSecret: z.string().min(1),
  /** Event subscription Encrypt Key: enables encrypted pushes and the X-Lark-Signature check. */
  encryptKey: z.string().min(1).optional(),
  /** Verification Token carried inside each event (header.token). */
  verificationToken: z.string().min(1),
  /** open.feishu.cn (Feishu) or open.larksuite.com (Lark); the API base URL from config wins in tests. */
  domain: z.enum(['feishu', 'lark']).default('feishu'),
})

export const wecomCredentialsSchema = z.object({
  /** Intelligent robot (智能机器人) API-mode callback Token. */
  token: z.string().min(3).max(32),
  /** 43-character EncodingAESKey. */
  encodingAESKey: z.string().regex(/^[a-zA-Z0-9]{43}$/, 'must be 43 letters and digits'),
  /** Receive id checked after decryption: "" for internal robots, the CorpID for app callbacks. */
  receiveId: z.string().default(''),
  /** Robot id and secret, for the long-connection mode. */
  botId: z.string().optional(),
  botSecret: z.string().optional(),
  /**
   * Self-built app (自建应用) whose callback this connection receives: CorpID, AgentId and the app's
   * Secret. With all three, replies to app direct chats (`single:<userid>`) go out through the app
   * message API (message/send with a gettoken access_token, platforms.md §1.7); without them those
   * replies cannot be delivered. receiveId is then normally the same CorpID.
   */
  corpId: z.string().min(1).optional(),
  agentId: z.number().int().positive().optional(),
  corpSecret: z.string().min(1).optional(),
})

/** The three app fields work only together: the admin API refuses a connection with some of them. */
export const WECOM_APP_CREDENTIAL_KEYS = ['corpId', 'agentId', 'corpSecret'] as const

export type LarkCredentials = z.infer<typeof larkCredentialsSchema>
export type WecomCredentials = z.infer<typeof wecomCredentialsSchema>
