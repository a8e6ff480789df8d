import { afterAll, describe, expect, it } from 'vitest'
import { forgetConnection } from '../../src/platforms/connections.ts'
import { startFakeLark } from '../support/fake-lark.ts'
import { setupTestEnv } from '../support/harness.ts'
import { BOT_OPEN_ID, createLarkSetup, larkCredentials, larkMessageEvent, recordingHandler, signedLarkRequest, startTestWorkers } from '../support/pipeline.ts'
import { waitFor } from '../support/wait.ts'

const lark = await startFakeLark({ appId: larkCredentials.appId, appSecret: larkCredentials.appSecret, botOpenId: BOT_OPEN_ID })
afterAll(() => lark.close())
const env = await setupTestEnv({ LARK_API_BASE_URL: lark.url })
const { handler, calls } = recordingHandler()
startTestWorkers(env, { handleChat: handler })
const setup = await createLarkSetup(env)
await env.ctx.prisma.platformConnection.update({ where: { id: setup.connection.id }, data: { botUserId: null } })
forgetConnection(env.ctx, setup.connection.id)

/** "@frontdesk 派单 #1001 @张师傅" as Lark sends it: two mentions, neither with a user_id. */
function assignEvent(messageId: string) {
  const event = larkMessageEvent({ chatId: setup.chatId, text: '派单 #1001 @_user_2', messageId })
  event.event.message.mentions.push({ key: '@_user_2', id: { open_id: 'ou_zhang' }, name: '张师傅', tenant_key: 'tenant-key' })
  return event
}

describe('the Lark bot’s own identity', () => {
  it('is learnt from the bot info API on the first event and stored on the connection', async () => {
    await env.app.inject(signedLarkRequest(setup.connection.id, assignEvent('om_first')))
    const learnt = await waitFor(async () => (await env.ctx.prisma.platformConnection.findUniqueOrThrow({ where: { id: setup.connection.id } })).botUserId)
    expect(learnt).toBe(BOT_OPEN_ID)
  })

  it('then tells the bot’s mention from a member’s', async () => {
    await env.app.inject(signedLarkRequest(setup.connection.id, assignEvent('om_second')))
    const call = await waitFor(() => calls.find((c) => c.message.messageId === 'om_second'))
    expect(call.message.mentions).toEqual([{ userId: 'ou_zhang', name: '张师傅' }])
    expect(call.message.text).toBe('派单 #1001 @张师傅')
  })
})
